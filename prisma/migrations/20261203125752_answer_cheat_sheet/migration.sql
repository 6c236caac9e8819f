-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "cheat_sheet" TEXT NOT NULL DEFAULT 'off',
ADD COLUMN     "prep_item_id" UUID;
