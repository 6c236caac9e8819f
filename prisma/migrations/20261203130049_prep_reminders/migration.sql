-- AlterTable
ALTER TABLE "prep_plans" ADD COLUMN     "feed_token_hash" TEXT,
ADD COLUMN     "next_reminder_at" TIMESTAMP(3),
ADD COLUMN     "reminder_days" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "reminder_minute" INTEGER,
ADD COLUMN     "unsubscribe_token_hash" TEXT;
