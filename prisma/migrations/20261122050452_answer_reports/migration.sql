-- CreateTable
CREATE TABLE "answer_reports" (
    "answer_id" UUID NOT NULL,
    "engine" TEXT NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "words" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "spans" JSONB NOT NULL,
    "stt_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "answer_reports_pkey" PRIMARY KEY ("answer_id")
);

-- AddForeignKey
ALTER TABLE "answer_reports" ADD CONSTRAINT "answer_reports_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
