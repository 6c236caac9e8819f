-- CreateEnum
CREATE TYPE "MentorStatus" AS ENUM ('applied', 'approved', 'suspended');

-- CreateEnum
CREATE TYPE "AvailabilityExceptionKind" AS ENUM ('off', 'extra');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('held', 'confirmed', 'completed', 'expired', 'canceled', 'no_show');

-- CreateEnum
CREATE TYPE "AnswerReviewStatus" AS ENUM ('requested', 'open', 'delivered', 'refunded', 'canceled');

-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "booking_id" UUID,
ADD COLUMN     "call_role" TEXT;

-- AlterTable
ALTER TABLE "outbox_emails" ADD COLUMN     "calendar" TEXT;

-- CreateTable
CREATE TABLE "mentor_profiles" (
    "user_id" UUID NOT NULL,
    "status" "MentorStatus" NOT NULL DEFAULT 'applied',
    "headline" TEXT NOT NULL DEFAULT '',
    "bio" TEXT NOT NULL DEFAULT '',
    "topics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "hires_for" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "price_15" INTEGER,
    "price_30" INTEGER,
    "price_45" INTEGER,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "buffer_minutes" INTEGER NOT NULL DEFAULT 10,
    "min_notice_minutes" INTEGER NOT NULL DEFAULT 720,
    "review_price" INTEGER,
    "review_hours" INTEGER NOT NULL DEFAULT 72,
    "stripe_account_id" TEXT,
    "payouts_enabled" BOOLEAN NOT NULL DEFAULT false,
    "applied_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "mentor_profiles_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "availability_rules" (
    "id" UUID NOT NULL,
    "mentor_id" UUID NOT NULL,
    "weekday" INTEGER NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "end_minute" INTEGER NOT NULL,

    CONSTRAINT "availability_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_exceptions" (
    "id" UUID NOT NULL,
    "mentor_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "kind" "AvailabilityExceptionKind" NOT NULL,
    "start_minute" INTEGER,
    "end_minute" INTEGER,

    CONSTRAINT "availability_exceptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL,
    "mentor_id" UUID NOT NULL,
    "seeker_id" UUID NOT NULL,
    "status" "BookingStatus" NOT NULL DEFAULT 'held',
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "blocked_until" TIMESTAMP(3) NOT NULL,
    "minutes" INTEGER NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "fee_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "hold_expires_at" TIMESTAMP(3),
    "agenda" TEXT NOT NULL DEFAULT '',
    "test_mode" BOOLEAN NOT NULL DEFAULT false,
    "checkout_session_id" TEXT,
    "stripe_customer_id" TEXT,
    "payment_method_id" TEXT,
    "payment_intent_id" TEXT,
    "paid_at" TIMESTAMP(3),
    "transfer_id" TEXT,
    "transferred_at" TIMESTAMP(3),
    "refund_id" TEXT,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "refunded_at" TIMESTAMP(3),
    "canceled_by" TEXT,
    "canceled_at" TIMESTAMP(3),
    "no_show" TEXT,
    "mentor_joined_at" TIMESTAMP(3),
    "seeker_joined_at" TIMESTAMP(3),
    "room_opened_at" TIMESTAMP(3),
    "room_closed_at" TIMESTAMP(3),
    "ics_sequence" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "mentor_consent_at" TIMESTAMP(3),
    "seeker_consent_at" TIMESTAMP(3),
    "seeker_coaching" BOOLEAN NOT NULL DEFAULT true,
    "mentor_notes" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mentor_reviews" (
    "booking_id" UUID NOT NULL,
    "mentor_id" UUID NOT NULL,
    "seeker_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mentor_reviews_pkey" PRIMARY KEY ("booking_id")
);

-- CreateTable
CREATE TABLE "call_markers" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "at_ms" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_markers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answer_reviews" (
    "id" UUID NOT NULL,
    "answer_id" UUID NOT NULL,
    "seeker_id" UUID NOT NULL,
    "mentor_id" UUID NOT NULL,
    "status" "AnswerReviewStatus" NOT NULL DEFAULT 'requested',
    "request" TEXT NOT NULL DEFAULT '',
    "price_cents" INTEGER NOT NULL,
    "fee_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,
    "due_at" TIMESTAMP(3),
    "test_mode" BOOLEAN NOT NULL DEFAULT false,
    "checkout_session_id" TEXT,
    "stripe_customer_id" TEXT,
    "payment_intent_id" TEXT,
    "paid_at" TIMESTAMP(3),
    "transfer_id" TEXT,
    "transferred_at" TIMESTAMP(3),
    "refund_id" TEXT,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "refunded_at" TIMESTAMP(3),
    "ratings" JSONB,
    "summary" TEXT NOT NULL DEFAULT '',
    "delivered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answer_review_comments" (
    "id" UUID NOT NULL,
    "review_id" UUID NOT NULL,
    "at_ms" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_review_comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mentor_profiles_stripe_account_id_key" ON "mentor_profiles"("stripe_account_id");

-- CreateIndex
CREATE INDEX "mentor_profiles_status_idx" ON "mentor_profiles"("status");

-- CreateIndex
CREATE INDEX "availability_rules_mentor_id_idx" ON "availability_rules"("mentor_id");

-- CreateIndex
CREATE INDEX "availability_exceptions_mentor_id_date_idx" ON "availability_exceptions"("mentor_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_checkout_session_id_key" ON "bookings"("checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_payment_intent_id_key" ON "bookings"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_transfer_id_key" ON "bookings"("transfer_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_refund_id_key" ON "bookings"("refund_id");

-- CreateIndex
CREATE INDEX "bookings_mentor_id_starts_at_idx" ON "bookings"("mentor_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_seeker_id_starts_at_idx" ON "bookings"("seeker_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_status_hold_expires_at_idx" ON "bookings"("status", "hold_expires_at");

-- CreateIndex
CREATE INDEX "mentor_reviews_mentor_id_created_at_idx" ON "mentor_reviews"("mentor_id", "created_at");

-- CreateIndex
CREATE INDEX "call_markers_booking_id_at_ms_idx" ON "call_markers"("booking_id", "at_ms");

-- CreateIndex
CREATE UNIQUE INDEX "answer_reviews_checkout_session_id_key" ON "answer_reviews"("checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "answer_reviews_payment_intent_id_key" ON "answer_reviews"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "answer_reviews_transfer_id_key" ON "answer_reviews"("transfer_id");

-- CreateIndex
CREATE UNIQUE INDEX "answer_reviews_refund_id_key" ON "answer_reviews"("refund_id");

-- CreateIndex
CREATE INDEX "answer_reviews_mentor_id_status_idx" ON "answer_reviews"("mentor_id", "status");

-- CreateIndex
CREATE INDEX "answer_reviews_seeker_id_created_at_idx" ON "answer_reviews"("seeker_id", "created_at");

-- CreateIndex
CREATE INDEX "answer_review_comments_review_id_at_ms_idx" ON "answer_review_comments"("review_id", "at_ms");

-- CreateIndex
CREATE UNIQUE INDEX "answers_booking_id_call_role_key" ON "answers"("booking_id", "call_role");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mentor_profiles" ADD CONSTRAINT "mentor_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_rules" ADD CONSTRAINT "availability_rules_mentor_id_fkey" FOREIGN KEY ("mentor_id") REFERENCES "mentor_profiles"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "availability_exceptions_mentor_id_fkey" FOREIGN KEY ("mentor_id") REFERENCES "mentor_profiles"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_mentor_id_fkey" FOREIGN KEY ("mentor_id") REFERENCES "mentor_profiles"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_seeker_id_fkey" FOREIGN KEY ("seeker_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mentor_reviews" ADD CONSTRAINT "mentor_reviews_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_markers" ADD CONSTRAINT "call_markers_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_reviews" ADD CONSTRAINT "answer_reviews_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_reviews" ADD CONSTRAINT "answer_reviews_mentor_id_fkey" FOREIGN KEY ("mentor_id") REFERENCES "mentor_profiles"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_review_comments" ADD CONSTRAINT "answer_review_comments_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "answer_reviews"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One mentor's bookings that keep time (held, confirmed, completed) never overlap, buffer
-- included: enforced by PostgreSQL for concurrent requests, not by a check before the insert.
-- Times are UTC timestamps as Prisma writes them, hence tsrange.
-- (Prisma's schema cannot express exclusion constraints; the schema diff leaves them alone.)
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("mentor_id" WITH =, tsrange("starts_at", "blocked_until", '[)') WITH &&)
  WHERE ("status" IN ('held', 'confirmed', 'completed'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_times_ordered" CHECK ("starts_at" < "ends_at" AND "ends_at" <= "blocked_until");
ALTER TABLE "mentor_reviews" ADD CONSTRAINT "mentor_reviews_rating_range" CHECK ("rating" BETWEEN 1 AND 5);
