-- The database's copy of the config, replaced by the TOML file's: one row for the exercise, and
-- lists of rows (structs) for the milestones, subcommittees and units (with their contacts).
DELETE FROM exercise;
INSERT INTO exercise (name, d_day, report_interval_days, timezone, assessment_threshold)
VALUES ($exercise_name, $d_day, $report_interval_days, $timezone, $assessment_threshold);
DELETE FROM milestones;
INSERT INTO milestones BY NAME
SELECT unnest(CAST($milestones AS STRUCT(position INTEGER, name VARCHAR, name_en VARCHAR, date TIMESTAMP)[]), recursive := true);
DELETE FROM subcommittees;
INSERT INTO subcommittees BY NAME
SELECT unnest(CAST($subcommittees AS STRUCT(name VARCHAR, short VARCHAR, name_en VARCHAR, position INTEGER)[]), recursive := true);
DELETE FROM units;
INSERT INTO units BY NAME
SELECT unnest(CAST($units AS STRUCT(name VARCHAR, level VARCHAR, position INTEGER, contact VARCHAR, phone VARCHAR)[]), recursive := true);
