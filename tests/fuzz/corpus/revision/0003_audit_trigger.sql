-- retort revision 0003_audit_trigger
-- parent: 0002_add_lesson_position
-- message: audit trigger
-- up: sqlite
CREATE TRIGGER "tr_jobs_done" AFTER UPDATE OF "status" ON "dgs_jobs"
WHEN NEW."status" = 'done'
BEGIN
    UPDATE "dgs_jobs" SET "completed_steps" = CASE WHEN "total_steps" IS NULL THEN 0 ELSE "total_steps" END
    WHERE "job_id" = NEW."job_id";
END;
-- down: sqlite
DROP TRIGGER "tr_jobs_done";
-- up: postgresql
CREATE FUNCTION jobs_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.completed_steps := coalesce(NEW.total_steps, 0);
    RETURN NEW;
END $$;
CREATE TRIGGER tr_jobs_done BEFORE UPDATE ON dgs_jobs FOR EACH ROW EXECUTE FUNCTION jobs_done();
-- down: postgresql
DROP TRIGGER tr_jobs_done ON dgs_jobs;
DROP FUNCTION jobs_done();
--| table "dgs_jobs"
--|   column "job_id" text 64 not-null - none 0 "" 0
--|   column "status" enumeration 0 not-null - text 0 "queued" 4 "queued" "running" "done" "failed"
--|   column "total_steps" int32 0 null - none 0 "" 0
--|   column "completed_steps" int32 0 null - none 0 "" 0
--|   primary-key "pk_dgs_jobs" 1 "job_id"
--|   check "ck_dgs_jobs_status_enum" "\"status\" IN ('queued')"
