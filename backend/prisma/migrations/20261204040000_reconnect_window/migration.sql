-- Reconnect window (issue 12): a dropped publisher may come back into the same session until
-- Stream.reconnectDeadline, the session counts its reconnects and keeps each gap.
-- AlterEnum
ALTER TYPE "StreamStatus" ADD VALUE 'reconnecting';

-- AlterTable
ALTER TABLE "Stream" ADD COLUMN     "reconnectDeadline" TIMESTAMP(3),
ADD COLUMN     "reconnectWindowSeconds" INTEGER NOT NULL DEFAULT 60;

-- AlterTable
ALTER TABLE "StreamSession" ADD COLUMN     "reconnectCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "StreamSessionGap" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "StreamSessionGap_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StreamSessionGap_sessionId_startedAt_idx" ON "StreamSessionGap"("sessionId", "startedAt");

-- CreateIndex
CREATE INDEX "Stream_status_reconnectDeadline_idx" ON "Stream"("status", "reconnectDeadline");

-- AddForeignKey
ALTER TABLE "StreamSessionGap" ADD CONSTRAINT "StreamSessionGap_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "StreamSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

