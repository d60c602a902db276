-- Clips and downloads of VODs (issue 13, items 3 and 4). A clip is a Vod of its own, cut from a
-- range of another (clipOfId, set null when the source is deleted: the clip owns its objects), with
-- the range asked for and the range it really covers (keyframe to keyframe, no re-encoding).
-- A download is one faststart MP4 of the best rendition under the Vod prefix, built on request.
-- CreateEnum
CREATE TYPE "VodDownloadStatus" AS ENUM ('preparing', 'ready', 'failed');

-- AlterTable
ALTER TABLE "Vod" ADD COLUMN "clipOfId" UUID,
ADD COLUMN "clipStartMs" INTEGER,
ADD COLUMN "clipEndMs" INTEGER,
ADD COLUMN "clipActualStartMs" INTEGER,
ADD COLUMN "clipActualEndMs" INTEGER,
ADD COLUMN "downloadStatus" "VodDownloadStatus",
ADD COLUMN "downloadError" TEXT,
ADD COLUMN "downloadObject" TEXT,
ADD COLUMN "downloadBytes" BIGINT,
ADD COLUMN "downloadRequestedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Vod_clipOfId_idx" ON "Vod"("clipOfId");

-- AddForeignKey
ALTER TABLE "Vod" ADD CONSTRAINT "Vod_clipOfId_fkey" FOREIGN KEY ("clipOfId") REFERENCES "Vod"("id") ON DELETE SET NULL ON UPDATE CASCADE;
