-- The end of a rebuild, in one transaction: submissions, tasks and current reports become those of
-- the attached scratch database `fresh` (the audit trail and the config stay).
DELETE FROM tasks;
DELETE FROM current_reports;
DELETE FROM submissions;
INSERT INTO submissions BY NAME SELECT * FROM fresh.submissions;
INSERT INTO tasks BY NAME SELECT * FROM fresh.tasks;
INSERT INTO current_reports BY NAME SELECT * FROM fresh.current_reports;
