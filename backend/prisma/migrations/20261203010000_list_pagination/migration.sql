-- Cursor pagination of every list (newest first, id as tiebreak) and the `q=` name/title search.
-- pg_trgm ships with PostgreSQL's contrib modules (in every official postgres image) and is a
-- trusted extension since PostgreSQL 13, so the database owner may create it.
-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex
DROP INDEX "Stream_ownerId_createdAt_idx";
DROP INDEX "StreamSession_streamId_startedAt_idx";
DROP INDEX "Vod_ownerId_createdAt_idx";
DROP INDEX "Vod_streamId_idx";
DROP INDEX "WebhookEndpoint_ownerId_idx";
DROP INDEX "WebhookDelivery_endpointId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Stream_ownerId_createdAt_id_idx" ON "Stream"("ownerId", "createdAt", "id");
CREATE INDEX "Stream_createdAt_id_idx" ON "Stream"("createdAt", "id");
CREATE INDEX "Stream_name_idx" ON "Stream" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "StreamSession_streamId_startedAt_id_idx" ON "StreamSession"("streamId", "startedAt", "id");
CREATE INDEX "Vod_ownerId_createdAt_id_idx" ON "Vod"("ownerId", "createdAt", "id");
CREATE INDEX "Vod_ownerId_status_createdAt_id_idx" ON "Vod"("ownerId", "status", "createdAt", "id");
CREATE INDEX "Vod_createdAt_id_idx" ON "Vod"("createdAt", "id");
CREATE INDEX "Vod_streamId_createdAt_id_idx" ON "Vod"("streamId", "createdAt", "id");
CREATE INDEX "Vod_title_idx" ON "Vod" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "WebhookEndpoint_ownerId_createdAt_id_idx" ON "WebhookEndpoint"("ownerId", "createdAt", "id");
CREATE INDEX "WebhookDelivery_endpointId_createdAt_id_idx" ON "WebhookDelivery"("endpointId", "createdAt", "id");
