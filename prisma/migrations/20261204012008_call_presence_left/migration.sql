-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "mentor_left_at" TIMESTAMP(3),
ADD COLUMN     "seeker_left_at" TIMESTAMP(3);
