-- Viewer beacons (issue 15.3 and 15.4): the latency players measure while they play a broadcast,
-- and the replays and watch time of VODs. Rows are written in batches (backend/src/analytics).
-- CreateEnum
CREATE TYPE "ViewerProtocol" AS ENUM ('webrtc', 'llhls');

-- CreateTable
CREATE TABLE "ViewerLatencySample" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "viewerId" TEXT NOT NULL,
    "protocol" "ViewerProtocol" NOT NULL,
    "rendition" TEXT,
    "latencyMs" INTEGER NOT NULL,

    CONSTRAINT "ViewerLatencySample_pkey" PRIMARY KEY ("id")
);

-- One row per viewer and VOD: the first beacon of a viewer counts the view.
-- CreateTable
CREATE TABLE "VodView" (
    "vodId" UUID NOT NULL,
    "viewerId" TEXT NOT NULL,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "watchedMs" INTEGER NOT NULL DEFAULT 0,
    "positionMs" INTEGER NOT NULL DEFAULT 0,
    "creditMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "VodView_pkey" PRIMARY KEY ("vodId","viewerId")
);

-- Totals kept on the VOD row, so lists read no VodView rows.
-- AlterTable
ALTER TABLE "Vod" ADD COLUMN "views" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "watchMs" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "ViewerLatencySample_sessionId_at_idx" ON "ViewerLatencySample"("sessionId", "at");

-- Append-only by time: a BRIN index is enough for the retention sweep and costs the inserts little.
-- CreateIndex
CREATE INDEX "ViewerLatencySample_at_idx" ON "ViewerLatencySample" USING BRIN ("at");

-- AddForeignKey
ALTER TABLE "ViewerLatencySample" ADD CONSTRAINT "ViewerLatencySample_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "StreamSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VodView" ADD CONSTRAINT "VodView_vodId_fkey" FOREIGN KEY ("vodId") REFERENCES "Vod"("id") ON DELETE CASCADE ON UPDATE CASCADE;
