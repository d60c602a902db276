-- Webhook operations (issue 16.3): secret rotation with an overlap in which both secrets sign, and
-- automatic disabling of an endpoint that has failed every delivery for WEBHOOK_AUTO_DISABLE_DAYS.
-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "disabledReason" TEXT,
ADD COLUMN     "failingSince" TIMESTAMP(3),
ADD COLUMN     "previousSecret" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMP(3);
