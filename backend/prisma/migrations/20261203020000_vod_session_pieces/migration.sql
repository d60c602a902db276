-- One Vod per broadcast: the recording files (pieces) of a StreamSession that the VOD worker joins.
-- The session's Vod itself uses the existing unique Vod.recordingId ('session-<sessionId>').
-- CreateEnum
CREATE TYPE "VodPieceStatus" AS ENUM ('waiting', 'joined', 'late', 'missing');

-- CreateTable
CREATE TABLE "VodPiece" (
    "id" UUID NOT NULL,
    "recordingId" TEXT NOT NULL,
    "sessionId" UUID NOT NULL,
    "vodId" UUID,
    "status" "VodPieceStatus" NOT NULL DEFAULT 'waiting',
    "filePath" TEXT NOT NULL,
    "infoPath" TEXT NOT NULL,
    "sourcePath" TEXT,
    "startedAt" TIMESTAMP(3),
    "transactionId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VodPiece_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "VodPiece_recordingId_key" ON "VodPiece"("recordingId");

-- CreateIndex
CREATE INDEX "VodPiece_sessionId_startedAt_idx" ON "VodPiece"("sessionId", "startedAt");

-- CreateIndex
CREATE INDEX "VodPiece_vodId_idx" ON "VodPiece"("vodId");

-- AddForeignKey
ALTER TABLE "VodPiece" ADD CONSTRAINT "VodPiece_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "StreamSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VodPiece" ADD CONSTRAINT "VodPiece_vodId_fkey" FOREIGN KEY ("vodId") REFERENCES "Vod"("id") ON DELETE SET NULL ON UPDATE CASCADE;

