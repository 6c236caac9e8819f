-- CreateEnum
CREATE TYPE "AnswerFramework" AS ENUM ('star', 'carl', 'soar');

-- CreateEnum
CREATE TYPE "AnswerStatus" AS ENUM ('created', 'recording', 'processing', 'ready', 'interrupted', 'failed');

-- AlterTable
ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;

-- CreateTable
CREATE TABLE "questions" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "framework" "AnswerFramework" NOT NULL DEFAULT 'star',
    "competency" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'seed',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answers" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "question_id" UUID NOT NULL,
    "status" "AnswerStatus" NOT NULL DEFAULT 'created',
    "media_url" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "stopped_at" TIMESTAMP(3),
    "recording_key" TEXT,
    "recording_bytes" BIGINT,
    "duration_ms" INTEGER,
    "container" TEXT,
    "audio_codec" TEXT,
    "video_codec" TEXT,
    "recording_note" TEXT,

    CONSTRAINT "answers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "questions_slug_key" ON "questions"("slug");

-- CreateIndex
CREATE INDEX "answers_user_id_created_at_idx" ON "answers"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "answers_status_idx" ON "answers"("status");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_fkey" FOREIGN KEY ("question_id") REFERENCES "questions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
