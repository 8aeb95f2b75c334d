CREATE TABLE "dgs_jobs" (
    "job_id" VARCHAR(64) NOT NULL,
    "request" JSON_TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT NOT NULL,
    "total_steps" INTEGER,
    "completed_steps" INTEGER,
    "progress" DOUBLE,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "pk_dgs_jobs" PRIMARY KEY ("job_id"),
    CONSTRAINT "ck_dgs_jobs_progress" CHECK (progress >= 0 AND progress <= 1),
    CONSTRAINT "ck_dgs_jobs_status_enum" CHECK ("status" IN ('queued', 'running', 'done', 'failed')),
    CONSTRAINT "ck_dgs_jobs_job_id_length" CHECK (length("job_id") <= 64)
);