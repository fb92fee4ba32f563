-- The store's tables and the staging views every named query reads from.
-- One row: a number that changes with every stored file or withdrawal (the board's cache key).
CREATE TABLE IF NOT EXISTS data_version (version BIGINT NOT NULL);
INSERT INTO data_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM data_version);

CREATE TABLE IF NOT EXISTS exercise (
    name VARCHAR, d_day TIMESTAMP, report_interval_days INTEGER, timezone VARCHAR
);
CREATE TABLE IF NOT EXISTS milestones (position INTEGER, name VARCHAR, name_en VARCHAR, date TIMESTAMP);
CREATE TABLE IF NOT EXISTS subcommittees (
    name VARCHAR PRIMARY KEY, short VARCHAR, name_en VARCHAR, position INTEGER
);
CREATE TABLE IF NOT EXISTS units (name VARCHAR PRIMARY KEY, level VARCHAR, position INTEGER);

CREATE SEQUENCE IF NOT EXISTS submission_id START 1;
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY DEFAULT nextval('submission_id'),
    sha256 VARCHAR NOT NULL,
    original_name VARCHAR,
    received_at TIMESTAMP NOT NULL,      -- local time, exercise time zone
    source VARCHAR NOT NULL,             -- upload | inbox | cli
    submitted_by VARCHAR,
    unit VARCHAR,
    unit_hint VARCHAR,
    report_date DATE,
    status VARCHAR NOT NULL,             -- accepted | rejected | duplicate
    n_tasks INTEGER NOT NULL DEFAULT 0,
    errors JSON,
    warnings JSON,
    file_kind VARCHAR,
    withdrawn_at TIMESTAMP,
    withdrawn_by VARCHAR,
    withdrawn_reason VARCHAR
);

CREATE TABLE IF NOT EXISTS tasks (
    submission_id INTEGER NOT NULL,
    sheet VARCHAR,
    row_no INTEGER,
    code VARCHAR,
    task VARCHAR NOT NULL,
    task_key VARCHAR NOT NULL,
    subcommittee VARCHAR NOT NULL,
    deadline DATE,
    status VARCHAR NOT NULL,
    percent DOUBLE,
    owner VARCHAR,
    weight DOUBLE NOT NULL DEFAULT 1,
    note VARCHAR,
    extra JSON
);

-- Who did what: every upload, withdrawal and account change.
CREATE TABLE IF NOT EXISTS audit (
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR,
    action VARCHAR NOT NULL,   -- upload | ingest_inbox | ingest_cli | withdraw | rebuild | user_* | login | login_failed
    target VARCHAR,
    detail VARCHAR
);

-- Staging: the reports that count, the latest one per unit, and each task's progress.
CREATE OR REPLACE VIEW accepted_reports AS
SELECT id, unit, report_date, received_at, original_name, n_tasks
FROM submissions
WHERE status = 'accepted' AND withdrawn_at IS NULL;

-- The report that counts for each unit: latest report date, then latest arrival. Kept as a small
-- table, recomputed in every write transaction (see Store._after_write), so that the board's
-- queries join on it instead of ranking every report again.
CREATE TABLE IF NOT EXISTS current_reports (unit VARCHAR PRIMARY KEY, id INTEGER NOT NULL);

CREATE OR REPLACE VIEW latest_reports AS
SELECT a.*
FROM accepted_reports AS a
JOIN current_reports AS c ON c.id = a.id;

-- A task's progress, the contract's rule in one place: done 100, in progress its percent (50 if
-- none given), not started 0, blocked its percent (0 if none); not applicable has none.
CREATE OR REPLACE MACRO progress_of(status, percent) AS
    CASE status
        WHEN 'done' THEN 100.0
        WHEN 'in_progress' THEN coalesce(percent, 50.0)
        WHEN 'not_started' THEN 0.0
        WHEN 'blocked' THEN coalesce(percent, 0.0)
    END;

CREATE OR REPLACE VIEW task_progress AS
SELECT t.*, r.unit, r.report_date, progress_of(t.status, t.percent) AS progress
FROM tasks AS t
JOIN accepted_reports AS r ON r.id = t.submission_id;

CREATE OR REPLACE VIEW current_tasks AS
SELECT t.*, s.unit, s.report_date, progress_of(t.status, t.percent) AS progress
FROM current_reports AS c
JOIN submissions AS s ON s.id = c.id
JOIN tasks AS t ON t.submission_id = c.id;
