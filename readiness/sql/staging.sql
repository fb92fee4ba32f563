-- Layer 3, staging: views over the tables that the named queries (queries/*.sql) read.

-- The reports that count: accepted and not withdrawn.
CREATE OR REPLACE VIEW accepted_reports AS
SELECT id, unit, report_date, received_at, original_name, n_tasks
FROM submissions
WHERE status = 'accepted' AND withdrawn_at IS NULL;

-- For each unit and report date, the report that counts (of several dated the same day, the last
-- to arrive), and the unit's next report date: it counts from its date until then (counts_on).
CREATE OR REPLACE VIEW dated_reports AS
WITH last_of_day AS (
    SELECT *
    FROM accepted_reports
    QUALIFY row_number() OVER (PARTITION BY unit, report_date ORDER BY received_at DESC, id DESC) = 1
)

SELECT *, lead(report_date) OVER (PARTITION BY unit ORDER BY report_date) AS next_report_date
FROM last_of_day;

-- The report that counts now for each unit (from the current_reports table).
CREATE OR REPLACE VIEW latest_reports AS
SELECT a.*
FROM accepted_reports AS a
JOIN current_reports AS c ON c.id = a.id;

-- Every stored task with its progress, by submission id (withdrawn reports too: a diff may name them).
CREATE OR REPLACE VIEW report_tasks AS
SELECT *, progress_of(status, percent) AS progress
FROM tasks;

-- The tasks of every accepted report, with the report's unit and date.
CREATE OR REPLACE VIEW task_progress AS
SELECT t.*, r.unit, r.report_date
FROM report_tasks AS t
JOIN accepted_reports AS r ON r.id = t.submission_id;

-- The tasks of each unit's current report: what the board shows now.
CREATE OR REPLACE VIEW current_tasks AS
SELECT t.*, s.unit, s.report_date
FROM current_reports AS c
JOIN submissions AS s ON s.id = c.id
JOIN report_tasks AS t ON t.submission_id = c.id;

-- Every file received with its answer, as the history lists show it.
CREATE OR REPLACE VIEW received_files AS
SELECT
    s.id,
    s.sha256,
    s.original_name,
    s.received_at,
    s.source,
    s.submitted_by,
    s.unit,
    s.report_date,
    s.status,
    s.n_tasks AS tasks,
    s.errors,
    s.warnings,
    json_array_length(s.errors) AS n_errors,
    json_array_length(s.warnings) AS n_warnings,
    s.withdrawn_at,
    s.withdrawn_by,
    s.withdrawn_reason,
    c.id IS NOT NULL AS current
FROM submissions AS s
LEFT JOIN current_reports AS c ON c.id = s.id;
