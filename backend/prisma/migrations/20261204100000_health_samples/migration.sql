-- Health over time (issue 15.2): one compact row per live broadcast every HEALTH_SAMPLE_INTERVAL_MS,
-- from the stats of OME, kept HEALTH_SAMPLE_RETENTION_DAYS.
-- CreateTable
CREATE TABLE "StreamHealthSample" (
    "id" BIGSERIAL NOT NULL,
    "sessionId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "bitrateInBps" INTEGER NOT NULL,
    "fps" REAL,
    "viewersWebrtc" INTEGER NOT NULL,
    "viewersLlhls" INTEGER NOT NULL,

    CONSTRAINT "StreamHealthSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StreamHealthSample_sessionId_at_idx" ON "StreamHealthSample"("sessionId", "at");

-- CreateIndex
CREATE INDEX "StreamHealthSample_at_idx" ON "StreamHealthSample"("at");

-- AddForeignKey
ALTER TABLE "StreamHealthSample" ADD CONSTRAINT "StreamHealthSample_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "StreamSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
