-- Stream health (issue 15.1): ingest problems the Alert module of OME reports, per stream and broadcast.
-- An alert is open while clearedAt is NULL, the next notification of OME for the stream lists the
-- problems still there, and the ones it no longer lists are cleared.
-- CreateTable
CREATE TABLE "StreamHealthAlert" (
    "id" UUID NOT NULL,
    "streamId" UUID NOT NULL,
    "sessionId" UUID,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clearedAt" TIMESTAMP(3),

    CONSTRAINT "StreamHealthAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StreamHealthAlert_streamId_clearedAt_idx" ON "StreamHealthAlert"("streamId", "clearedAt");

-- CreateIndex
CREATE INDEX "StreamHealthAlert_streamId_raisedAt_idx" ON "StreamHealthAlert"("streamId", "raisedAt");

-- AddForeignKey
ALTER TABLE "StreamHealthAlert" ADD CONSTRAINT "StreamHealthAlert_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamHealthAlert" ADD CONSTRAINT "StreamHealthAlert_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "StreamSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;
