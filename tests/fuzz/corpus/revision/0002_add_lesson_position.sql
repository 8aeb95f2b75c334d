-- retort revision 0002_add_lesson_position
-- parent: 0001_initial_schema
-- message: add lesson position
--   additive: add column dgs_lessons.position

-- up: sqlite
ALTER TABLE "dgs_lessons" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0;
UPDATE "dgs_lessons" SET "position" = rowid;  -- a data migration, added by hand
-- down: sqlite
ALTER TABLE "dgs_lessons" DROP COLUMN "position";

-- up: postgresql
ALTER TABLE "dgs_lessons" ADD COLUMN "position" integer NOT NULL DEFAULT 0;
-- down: postgresql
ALTER TABLE "dgs_lessons" DROP COLUMN "position";

-- The models' schema after this revision: the next revision is planned from it, and
-- `stamp` compares a database with it. Keep it in step with hand edits above.
--| table "dgs_lessons"
--|   column "lesson_id" text 0 not-null - none 0 "" 0
--|   column "job_id" text 0 not-null - none 0 "" 0
--|   column "position" int32 0 not-null - integer 0 "" 0
--|   primary-key "pk_dgs_lessons" 1 "lesson_id"
