-- ABR VODs (issue 13): the rendition each recorded piece is (the record map writes one file per
-- ladder rendition into <stream>/<rendition>/, null for the single-file layout), and the bytes a
-- Vod keeps in storage over all its objects (originals, every rendition, playlists, poster), the
-- base of per-user storage accounting. Null until computed (the worker fills older rows in).
-- AlterTable
ALTER TABLE "VodPiece" ADD COLUMN "rendition" TEXT;

-- AlterTable
ALTER TABLE "Vod" ADD COLUMN "storageBytes" BIGINT;
