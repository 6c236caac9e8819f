-- AlterTable
ALTER TABLE "stripe_events" ADD COLUMN     "acquired_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "rejected_reason" TEXT;
