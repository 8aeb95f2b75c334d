-- retort revision 0001_initial_schema
-- parent:
-- message: initial schema
--   additive: create table dgs_jobs
--   additive: create table dgs_lessons

-- up: sqlite
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
CREATE INDEX "ix_dgs_jobs_created_at" ON "dgs_jobs" ("created_at");
CREATE TABLE "dgs_lessons" (
    "lesson_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "tags" TEXT_ARRAY NOT NULL,
    CONSTRAINT "pk_dgs_lessons" PRIMARY KEY ("lesson_id"),
    CONSTRAINT "fk_dgs_lessons_job_id_dgs_jobs" FOREIGN KEY ("job_id") REFERENCES "dgs_jobs" ("job_id") ON DELETE CASCADE
);
CREATE INDEX "ix_dgs_lessons_topic" ON "dgs_lessons" ("topic");

-- down: sqlite
DROP TABLE "dgs_lessons";
DROP TABLE "dgs_jobs";

-- up: postgresql
CREATE TABLE "dgs_jobs" (
    "job_id" varchar(64) NOT NULL,
    "request" jsonb NOT NULL,
    "status" text NOT NULL DEFAULT 'queued',
    "phase" text NOT NULL,
    "total_steps" integer,
    "completed_steps" integer,
    "progress" double precision,
    "created_at" timestamp with time zone NOT NULL,
    CONSTRAINT "pk_dgs_jobs" PRIMARY KEY ("job_id"),
    CONSTRAINT "ck_dgs_jobs_progress" CHECK (progress >= 0 AND progress <= 1),
    CONSTRAINT "ck_dgs_jobs_status_enum" CHECK ("status" IN ('queued', 'running', 'done', 'failed'))
);
CREATE INDEX "ix_dgs_jobs_created_at" ON "dgs_jobs" ("created_at");
CREATE TABLE "dgs_lessons" (
    "lesson_id" text NOT NULL,
    "job_id" text NOT NULL,
    "topic" text NOT NULL,
    "title" text NOT NULL,
    "tags" text[] NOT NULL,
    CONSTRAINT "pk_dgs_lessons" PRIMARY KEY ("lesson_id"),
    CONSTRAINT "fk_dgs_lessons_job_id_dgs_jobs" FOREIGN KEY ("job_id") REFERENCES "dgs_jobs" ("job_id") ON DELETE CASCADE
);
CREATE INDEX "ix_dgs_lessons_topic" ON "dgs_lessons" ("topic");

-- down: postgresql
DROP TABLE "dgs_lessons";
DROP TABLE "dgs_jobs";

-- The models' schema after this revision: the next revision is planned from it, and
-- `stamp` compares a database with it. Keep it in step with hand edits above.
--| table "dgs_jobs"
--|   column "job_id" text 64+check not-null - none 0 "" 0
--|   column "request" json 0 not-null - none 0 "" 0
--|   column "status" enumeration 0 not-null - text 0 "queued" 4 "queued" "running" "done" "failed"
--|   column "phase" text 0 not-null - none 0 "" 0
--|   column "total_steps" int32 0 null - none 0 "" 0
--|   column "completed_steps" int32 0 null - none 0 "" 0
--|   column "progress" float64 0 null - none 0 "" 0
--|   column "created_at" timestamp 0 not-null - none 0 "" 0
--|   primary-key "pk_dgs_jobs" 1 "job_id"
--|   index "ix_dgs_jobs_created_at" plain "" 1 "created_at"
--|   check "ck_dgs_jobs_progress" "progress >= 0 AND progress <= 1"
--|   check "ck_dgs_jobs_status_enum" """status"" IN ('queued', 'running', 'done', 'failed')"
--| table "dgs_lessons"
--|   column "lesson_id" text 0 not-null - none 0 "" 0
--|   column "job_id" text 0 not-null - none 0 "" 0
--|   column "topic" text 0 not-null - none 0 "" 0
--|   column "title" text 0 not-null - none 0 "" 0
--|   column "tags" text_array 0 not-null - none 0 "" 0
--|   primary-key "pk_dgs_lessons" 1 "lesson_id"
--|   index "ix_dgs_lessons_topic" plain "" 1 "topic"
--|   foreign-key "fk_dgs_lessons_job_id_dgs_jobs" 1 "job_id" "dgs_jobs" 1 "job_id" cascade no-action
