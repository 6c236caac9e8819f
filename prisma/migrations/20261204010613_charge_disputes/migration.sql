-- AlterTable
ALTER TABLE "answer_reviews" ADD COLUMN     "disputed_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "disputed_at" TIMESTAMP(3);
