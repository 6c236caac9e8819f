-- CreateEnum
CREATE TYPE "QuestionKind" AS ENUM ('behavioural', 'situational', 'role_specific', 'motivation');

-- AlterTable
ALTER TABLE "questions" ADD COLUMN     "difficulty" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "follow_ups" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "kind" "QuestionKind" NOT NULL DEFAULT 'behavioural',
ADD COLUMN     "owner_id" UUID,
ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "questions_owner_id_idx" ON "questions"("owner_id");

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
