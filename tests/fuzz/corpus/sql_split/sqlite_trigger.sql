CREATE TEMP TRIGGER IF NOT EXISTS trg_track_audit AFTER DELETE ON Track
BEGIN
  INSERT INTO audit(what, at) VALUES ('track ' || OLD.TrackId || '; gone', CURRENT_TIMESTAMP);
  SELECT CASE WHEN OLD.Bytes > 0 THEN RAISE(ABORT, 'no; never') END;
END;
DELETE FROM Track WHERE TrackId = 1;
