-- Restream outputs (issue 14): per-stream destinations OME pushes to while the stream is on air.
-- The destination's stream key is stored encrypted (AES-256-GCM, key id in "streamKeyKid").
-- CreateEnum
CREATE TYPE "OutputState" AS ENUM ('idle', 'starting', 'active', 'error', 'stopped');

-- CreateEnum
CREATE TYPE "OutputProtocol" AS ENUM ('rtmp', 'srt');

-- CreateTable
CREATE TABLE "StreamOutput" (
    "id" UUID NOT NULL,
    "streamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "protocol" "OutputProtocol" NOT NULL,
    "streamKeyCipher" TEXT NOT NULL,
    "streamKeyKid" TEXT NOT NULL,
    "streamKeyHint" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "rendition" TEXT NOT NULL DEFAULT 'source',
    "state" "OutputState" NOT NULL DEFAULT 'idle',
    "lastError" TEXT,
    "pushId" TEXT,
    "pushSeq" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "stateChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StreamOutput_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StreamOutput_streamId_createdAt_idx" ON "StreamOutput"("streamId", "createdAt");

-- CreateIndex
CREATE INDEX "StreamOutput_streamKeyKid_idx" ON "StreamOutput"("streamKeyKid");

-- AddForeignKey
ALTER TABLE "StreamOutput" ADD CONSTRAINT "StreamOutput_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream"("id") ON DELETE CASCADE ON UPDATE CASCADE;
