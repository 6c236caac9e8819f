-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "recovering_by" TEXT;

-- CreateTable
CREATE TABLE "media_nodes" (
    "id" TEXT NOT NULL,
    "public_url" TEXT NOT NULL,
    "internal_url" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answers" INTEGER NOT NULL DEFAULT 0,
    "rooms" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "media_nodes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "media_nodes_public_url_key" ON "media_nodes"("public_url");

-- CreateIndex
CREATE INDEX "media_nodes_status_heartbeat_at_idx" ON "media_nodes"("status", "heartbeat_at");

-- CreateIndex
CREATE INDEX "answers_media_url_status_idx" ON "answers"("media_url", "status");
