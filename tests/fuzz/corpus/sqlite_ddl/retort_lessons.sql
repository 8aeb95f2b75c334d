CREATE TABLE "dgs_lessons" (
    "lesson_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "tags" TEXT_ARRAY NOT NULL,
    CONSTRAINT "pk_dgs_lessons" PRIMARY KEY ("lesson_id"),
    CONSTRAINT "fk_dgs_lessons_job_id_dgs_jobs" FOREIGN KEY ("job_id") REFERENCES "dgs_jobs" ("job_id") ON DELETE CASCADE
);