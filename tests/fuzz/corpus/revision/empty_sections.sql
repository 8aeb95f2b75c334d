-- retort revision 0004_nothing
-- parent: 0003_audit_trigger
-- message:

-- up: sqlite
-- down: sqlite
-- up: postgresql
-- down: postgresql
