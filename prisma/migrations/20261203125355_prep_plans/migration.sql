-- CreateTable
CREATE TABLE "prep_plans" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "company" TEXT NOT NULL DEFAULT '',
    "interview_date" DATE NOT NULL,
    "timezone" TEXT NOT NULL,
    "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "job_description" TEXT NOT NULL DEFAULT '',
    "per_day" INTEGER NOT NULL DEFAULT 2,
    "weekdays" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "prep_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prep_plan_items" (
    "id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "question_id" UUID NOT NULL,
    "competency" TEXT NOT NULL,
    "answer_id" UUID,
    "done_answer_id" UUID,
    "done_at" TIMESTAMP(3),

    CONSTRAINT "prep_plan_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stories" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "framework" "AnswerFramework" NOT NULL DEFAULT 'star',
    "fields" JSONB NOT NULL,
    "competencies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stories_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "prep_plans_user_id_interview_date_idx" ON "prep_plans"("user_id", "interview_date");

-- CreateIndex
CREATE INDEX "prep_plan_items_plan_id_date_idx" ON "prep_plan_items"("plan_id", "date");

-- CreateIndex
CREATE INDEX "stories_user_id_idx" ON "stories"("user_id");

-- AddForeignKey
ALTER TABLE "prep_plans" ADD CONSTRAINT "prep_plans_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prep_plan_items" ADD CONSTRAINT "prep_plan_items_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "prep_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stories" ADD CONSTRAINT "stories_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
