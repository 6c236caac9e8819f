-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "interview_invite_id" UUID,
ADD COLUMN     "interview_position" INTEGER,
ADD COLUMN     "recording_deleted_at" TIMESTAMP(3),
ADD COLUMN     "retain_until" TIMESTAMP(3),
ADD COLUMN     "retention_warned_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "mentor_reviews" ADD COLUMN     "hidden_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "suspended_at" TIMESTAMP(3),
ADD COLUMN     "suspended_reason" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "video_resumes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "headline" TEXT NOT NULL DEFAULT '',
    "profile" TEXT NOT NULL DEFAULT '',
    "answer_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "video_resumes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "share_links" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "answer_id" UUID,
    "resume_id" UUID,
    "token_hash" BYTEA NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "include_metrics" BOOLEAN NOT NULL DEFAULT true,
    "include_feedback" BOOLEAN NOT NULL DEFAULT false,
    "include_originality" BOOLEAN NOT NULL DEFAULT false,
    "recipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "view_count" INTEGER NOT NULL DEFAULT 0,
    "last_viewed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "share_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "share_views" (
    "id" UUID NOT NULL,
    "link_id" UUID NOT NULL,
    "viewer_id" UUID,
    "viewer_email" TEXT NOT NULL DEFAULT '',
    "ip_address" TEXT NOT NULL DEFAULT '',
    "user_agent" TEXT NOT NULL DEFAULT '',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "watched_ms" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "share_views_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recruiter_feedback" (
    "id" UUID NOT NULL,
    "link_id" UUID,
    "invite_id" UUID,
    "candidate_id" UUID NOT NULL,
    "recruiter_id" UUID NOT NULL,
    "ratings" JSONB NOT NULL DEFAULT '[]',
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hidden_at" TIMESTAMP(3),

    CONSTRAINT "recruiter_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candidate_profiles" (
    "user_id" UUID NOT NULL,
    "discoverable" BOOLEAN NOT NULL DEFAULT false,
    "target_roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "skills" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "location" TEXT NOT NULL DEFAULT '',
    "resume_id" UUID,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "hidden_at" TIMESTAMP(3),

    CONSTRAINT "candidate_profiles_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "contact_requests" (
    "id" UUID NOT NULL,
    "recruiter_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMP(3),

    CONSTRAINT "contact_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recruiter_interviews" (
    "id" UUID NOT NULL,
    "recruiter_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "company" TEXT NOT NULL DEFAULT '',
    "questions" JSONB NOT NULL DEFAULT '[]',
    "coaching" BOOLEAN NOT NULL DEFAULT false,
    "deadline" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recruiter_interviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interview_invites" (
    "id" UUID NOT NULL,
    "interview_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "candidate_id" UUID,
    "token_hash" BYTEA NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'invited',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMP(3),

    CONSTRAINT "interview_invites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moderation_reports" (
    "id" UUID NOT NULL,
    "reporter_id" UUID,
    "target_type" TEXT NOT NULL,
    "target_id" UUID NOT NULL,
    "subject_id" UUID,
    "reason" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'open',
    "action" TEXT,
    "handled_by_id" UUID,
    "handled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "actor_id" UUID,
    "actor_email" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL DEFAULT '',
    "target_id" TEXT NOT NULL DEFAULT '',
    "ip_address" TEXT NOT NULL DEFAULT '',
    "user_agent" TEXT NOT NULL DEFAULT '',
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "video_resumes_user_id_idx" ON "video_resumes"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "share_links_token_hash_key" ON "share_links"("token_hash");

-- CreateIndex
CREATE INDEX "share_links_owner_id_created_at_idx" ON "share_links"("owner_id", "created_at");

-- CreateIndex
CREATE INDEX "share_views_link_id_started_at_idx" ON "share_views"("link_id", "started_at");

-- CreateIndex
CREATE INDEX "recruiter_feedback_candidate_id_created_at_idx" ON "recruiter_feedback"("candidate_id", "created_at");

-- CreateIndex
CREATE INDEX "recruiter_feedback_link_id_idx" ON "recruiter_feedback"("link_id");

-- CreateIndex
CREATE INDEX "candidate_profiles_discoverable_idx" ON "candidate_profiles"("discoverable");

-- CreateIndex
CREATE INDEX "contact_requests_candidate_id_status_idx" ON "contact_requests"("candidate_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "contact_requests_recruiter_id_candidate_id_key" ON "contact_requests"("recruiter_id", "candidate_id");

-- CreateIndex
CREATE INDEX "recruiter_interviews_recruiter_id_created_at_idx" ON "recruiter_interviews"("recruiter_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "interview_invites_token_hash_key" ON "interview_invites"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "interview_invites_interview_id_email_key" ON "interview_invites"("interview_id", "email");

-- CreateIndex
CREATE INDEX "moderation_reports_status_created_at_idx" ON "moderation_reports"("status", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "audit_log_action_created_at_idx" ON "audit_log"("action", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_target_type_target_id_idx" ON "audit_log"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "answers_retain_until_idx" ON "answers"("retain_until");

-- CreateIndex
CREATE INDEX "answers_interview_invite_id_idx" ON "answers"("interview_invite_id");

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_interview_invite_id_fkey" FOREIGN KEY ("interview_invite_id") REFERENCES "interview_invites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "video_resumes" ADD CONSTRAINT "video_resumes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_resume_id_fkey" FOREIGN KEY ("resume_id") REFERENCES "video_resumes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_views" ADD CONSTRAINT "share_views_link_id_fkey" FOREIGN KEY ("link_id") REFERENCES "share_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recruiter_feedback" ADD CONSTRAINT "recruiter_feedback_link_id_fkey" FOREIGN KEY ("link_id") REFERENCES "share_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recruiter_feedback" ADD CONSTRAINT "recruiter_feedback_invite_id_fkey" FOREIGN KEY ("invite_id") REFERENCES "interview_invites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_profiles" ADD CONSTRAINT "candidate_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_profiles" ADD CONSTRAINT "candidate_profiles_resume_id_fkey" FOREIGN KEY ("resume_id") REFERENCES "video_resumes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interview_invites" ADD CONSTRAINT "interview_invites_interview_id_fkey" FOREIGN KEY ("interview_id") REFERENCES "recruiter_interviews"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Recordings made before retention existed are kept for the default 90 days from now.
UPDATE "answers" SET "retain_until" = now() + interval '90 days' WHERE "retain_until" IS NULL;

-- The audit log is append-only: no row is ever changed or removed, not even by the API's own role.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
