-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('streaming', 'complete', 'failed');

-- CreateEnum
CREATE TYPE "MockStatus" AS ENUM ('active', 'finished');

-- AlterTable
ALTER TABLE "answer_reports" ADD COLUMN     "filler_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fillers_per_minute" DOUBLE PRECISION,
ADD COLUMN     "longest_pause" DOUBLE PRECISION,
ADD COLUMN     "pause_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "star_heard" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "word_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "wpm" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "follow_up_question_id" UUID,
ADD COLUMN     "mock_interview_id" UUID,
ADD COLUMN     "mock_position" INTEGER,
ADD COLUMN     "parent_answer_id" UUID;

-- AlterTable
ALTER TABLE "questions" ADD COLUMN     "company" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "answer_feedbacks" (
    "id" UUID NOT NULL,
    "answer_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "FeedbackStatus" NOT NULL DEFAULT 'streaming',
    "model" TEXT NOT NULL,
    "report" JSONB,
    "score" DOUBLE PRECISION,
    "error_code" TEXT,
    "error_message" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "answer_feedbacks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answer_fingerprints" (
    "answer_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "signature" INTEGER[],
    "bands" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_fingerprints_pkey" PRIMARY KEY ("answer_id")
);

-- CreateTable
CREATE TABLE "question_sets" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "input_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "company" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "question_ids" UUID[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "question_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mock_interviews" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "MockStatus" NOT NULL DEFAULT 'active',
    "role" TEXT NOT NULL DEFAULT '',
    "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "difficulty" INTEGER,
    "minutes" INTEGER NOT NULL,
    "think_seconds" INTEGER NOT NULL,
    "question_ids" UUID[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "mock_interviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "answer_feedbacks_user_id_created_at_idx" ON "answer_feedbacks"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "answer_feedbacks_answer_id_created_at_idx" ON "answer_feedbacks"("answer_id", "created_at");

-- CreateIndex
CREATE INDEX "answer_fingerprints_bands_idx" ON "answer_fingerprints" USING GIN ("bands");

-- CreateIndex
CREATE INDEX "question_sets_user_id_created_at_idx" ON "question_sets"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "question_sets_user_id_input_hash_key" ON "question_sets"("user_id", "input_hash");

-- CreateIndex
CREATE INDEX "mock_interviews_user_id_created_at_idx" ON "mock_interviews"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "answers_mock_interview_id_idx" ON "answers"("mock_interview_id");

-- CreateIndex
CREATE INDEX "answers_parent_answer_id_idx" ON "answers"("parent_answer_id");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_parent_answer_id_fkey" FOREIGN KEY ("parent_answer_id") REFERENCES "answers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_mock_interview_id_fkey" FOREIGN KEY ("mock_interview_id") REFERENCES "mock_interviews"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_feedbacks" ADD CONSTRAINT "answer_feedbacks_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_feedbacks" ADD CONSTRAINT "answer_feedbacks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answer_fingerprints" ADD CONSTRAINT "answer_fingerprints_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "question_sets" ADD CONSTRAINT "question_sets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mock_interviews" ADD CONSTRAINT "mock_interviews_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill the key figures of reports saved before these columns existed (written by hand).
UPDATE "answer_reports" SET
  "word_count" = COALESCE(("summary"->>'words')::int, 0),
  "wpm" = ("summary"->'pace'->'overall'->>'wpm')::double precision,
  "filler_count" = COALESCE(("summary"->'fillers'->>'count')::int, 0),
  "fillers_per_minute" = ("summary"->'fillers'->>'perMinute')::double precision,
  "pause_count" = COALESCE(("summary"->'pauses'->>'count')::int, 0),
  "longest_pause" = ("summary"->'pauses'->'longest'->>'duration')::double precision,
  "star_heard" = CASE WHEN jsonb_typeof("summary"->'star'->'heard') = 'array'
    THEN ARRAY(SELECT jsonb_array_elements_text("summary"->'star'->'heard')) ELSE ARRAY[]::TEXT[] END;
