-- The end of a rebuild, in one transaction: submissions, tasks, current reports and plans become those of
-- the attached scratch database `fresh` (the audit trail and the config stay).
DELETE FROM tasks;
DELETE FROM current_reports;
DELETE FROM submissions;
DELETE FROM assessments;
DELETE FROM plan_tasks;
DELETE FROM plans;
INSERT INTO submissions BY NAME SELECT * FROM fresh.submissions;
INSERT INTO tasks BY NAME SELECT * FROM fresh.tasks;
INSERT INTO current_reports BY NAME SELECT * FROM fresh.current_reports;
INSERT INTO assessments BY NAME SELECT * FROM fresh.assessments;
INSERT INTO plans BY NAME SELECT * FROM fresh.plans;
INSERT INTO plan_tasks BY NAME SELECT * FROM fresh.plan_tasks;
