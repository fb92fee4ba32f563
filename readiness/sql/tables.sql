-- Layer 1, tables: what the store writes. Named queries never read these directly except the config's
-- copy (exercise, milestones, subcommittees, units); they read the staging views (staging.sql).

-- One row: a number that changes with every stored file or withdrawal (the board's cache key).
CREATE TABLE IF NOT EXISTS data_version (version BIGINT NOT NULL);
INSERT INTO data_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM data_version);

-- The config's copy, replaced from the TOML file whenever a store opens (store/sync_config.sql).
CREATE TABLE IF NOT EXISTS exercise (
    name VARCHAR, d_day TIMESTAMP, report_interval_days INTEGER, timezone VARCHAR
);
ALTER TABLE exercise ADD COLUMN IF NOT EXISTS assessment_threshold DOUBLE;
CREATE TABLE IF NOT EXISTS milestones (position INTEGER, name VARCHAR, name_en VARCHAR, date TIMESTAMP);
CREATE TABLE IF NOT EXISTS subcommittees (
    name VARCHAR PRIMARY KEY, short VARCHAR, name_en VARCHAR, position INTEGER
);
CREATE TABLE IF NOT EXISTS units (name VARCHAR PRIMARY KEY, level VARCHAR, position INTEGER);

-- Every file received, with its answer. Never deleted: a withdrawal only marks it.
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

-- Every task of every accepted report.
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
    extra JSON,
    text_key VARCHAR                     -- the folded text (readiness.text.fold), to pair it with the plan's
);


-- A database from before text keys gets the column here and its rows keyed on open (store/fill_text_keys.sql).
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS text_key VARCHAR;

-- The report that counts for each unit (staging's dated_reports with no later date), kept as a small
-- table recomputed in every write transaction (store/recompute_current.sql), so that the board's
-- queries join on it instead of ranking every report again.
CREATE TABLE IF NOT EXISTS current_reports (unit VARCHAR PRIMARY KEY, id INTEGER NOT NULL);

-- Who did what: every upload, withdrawal and account change.
CREATE TABLE IF NOT EXISTS audit (
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR,
    action VARCHAR NOT NULL,   -- upload | ingest_inbox | ingest_cli | withdraw | rebuild | user_* | login | login_failed
    target VARCHAR,
    detail VARCHAR
);

-- The committee's assigned task plans: every plan file loaded, with its answer; the latest accepted
-- one is in force (staging's plan_in_force). Never deleted: loading a new plan keeps the old one.
CREATE SEQUENCE IF NOT EXISTS plan_id START 1;
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY DEFAULT nextval('plan_id'),
    sha256 VARCHAR NOT NULL,
    original_name VARCHAR,
    loaded_at TIMESTAMP NOT NULL,        -- local time, exercise time zone
    source VARCHAR NOT NULL,             -- upload | cli
    loaded_by VARCHAR,
    status VARCHAR NOT NULL,             -- accepted | rejected
    n_tasks INTEGER NOT NULL DEFAULT 0,
    n_units INTEGER NOT NULL DEFAULT 0,
    errors JSON,
    warnings JSON,
    file_kind VARCHAR
);

-- One row per (task, unit) of an accepted plan: a task assigned to three units is three rows.
CREATE TABLE IF NOT EXISTS plan_tasks (
    plan_id INTEGER NOT NULL,
    sheet VARCHAR,
    row_no INTEGER,
    unit VARCHAR NOT NULL,
    code VARCHAR,
    task VARCHAR NOT NULL,
    task_key VARCHAR NOT NULL,           -- as a report's: the folded code, else the folded text
    text_key VARCHAR,                    -- the folded text, to pair a report's task without a code
    subcommittee VARCHAR NOT NULL,
    deadline DATE,
    weight DOUBLE NOT NULL DEFAULT 1
);

-- Each accepted report's own assessment (tự đánh giá): a rating for the whole unit (subcommittee
-- NULL) or one subcommittee, with the unit's remark and the date it expects to be ready.
CREATE TABLE IF NOT EXISTS assessments (
    submission_id INTEGER NOT NULL,
    sheet VARCHAR,
    row_no INTEGER,
    subcommittee VARCHAR,
    rating VARCHAR NOT NULL,             -- ready | conditional | not_ready
    remark VARCHAR,
    ready_by DATE
);

-- Each unit's contact for the chase list (config `units[].contact`, `phone`; added after the first
-- release, so a database from before gets the columns when it opens).
ALTER TABLE units ADD COLUMN IF NOT EXISTS contact VARCHAR;
ALTER TABLE units ADD COLUMN IF NOT EXISTS phone VARCHAR;

-- With a plan in force, what the board shows now, task by task (staging's current_tasks_of: the
-- current reports counted against the plan), kept as a table recomputed in every write transaction
-- (store/refresh_current_tasks.sql): every page reads a few thousand plain rows instead of matching
-- reports to the plan again on each query.
CREATE TABLE IF NOT EXISTS current_task_rows (
    submission_id INTEGER,
    sheet VARCHAR,
    row_no INTEGER,
    code VARCHAR,
    task VARCHAR,
    task_key VARCHAR,
    subcommittee VARCHAR,
    deadline DATE,
    status VARCHAR,
    percent DOUBLE,
    owner VARCHAR,
    weight DOUBLE,
    note VARCHAR,
    extra JSON,
    progress DOUBLE,
    unit VARCHAR,
    report_date DATE,
    plan_state VARCHAR
);

-- Every accepted report's counted tasks (staging's counted_tasks, not-applicable left out) summed by
-- subcommittee: the parts of readiness_of (weighted = sum of weight x progress, weight = sum of the
-- weights of tasks with a progress) and the counts. A report's sums change only when the plan in
-- force does, so a write sums just the reports it adds (store/refresh_summary.sql) and a plan load or
-- a rebuild sums them all again; a withdrawn report's rows stay, unread. Trends and history read a row
-- per report and subcommittee (staging's report_sums: the reports that count) instead of every task
-- of a year of reports.
CREATE TABLE IF NOT EXISTS report_summary (
    submission_id INTEGER NOT NULL,
    unit VARCHAR NOT NULL,
    subcommittee VARCHAR NOT NULL,
    tasks BIGINT NOT NULL,
    done BIGINT NOT NULL,
    blocked BIGINT NOT NULL,
    weighted DOUBLE,
    weight DOUBLE
);
-- A database opened by the first build of this table (commit 477b35c) kept the report's dates here.
ALTER TABLE report_summary DROP COLUMN IF EXISTS report_date;
ALTER TABLE report_summary DROP COLUMN IF EXISTS next_report_date;
