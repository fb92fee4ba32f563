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

-- The plan in force: the tasks of the latest accepted plan (none: no plan, figures as reported).
CREATE OR REPLACE VIEW plan_in_force AS
SELECT t.*
FROM plan_tasks AS t
WHERE t.plan_id = (SELECT max(id) FROM plans WHERE status = 'accepted');

-- The tasks of each unit's current report, with the report's unit and date.
CREATE OR REPLACE VIEW current_report_tasks AS
SELECT t.*, s.unit, s.report_date
FROM current_reports AS c
JOIN submissions AS s ON s.id = c.id
JOIN report_tasks AS t ON t.submission_id = c.id;

-- Each unit's current report (id, unit, date).
CREATE OR REPLACE VIEW current_report_list AS
SELECT s.id, s.unit, s.report_date
FROM current_reports AS c
JOIN submissions AS s ON s.id = c.id;

-- Reports' tasks (a view named by `scope`: unit and report_date beside each task) with the planned
-- task each one is (plan_row NULL: not in the plan). A task is the plan's when their codes match;
-- without a code on either side, when their texts match in the same subcommittee. Both are equality
-- joins (hash joins: a province's year of reports is matched in one pass). Only units the plan
-- assigns tasks to are measured against it (planned_unit).
CREATE OR REPLACE MACRO plan_match(scope) AS TABLE
SELECT
    t.* EXCLUDE (code_key, tkey),
    coalesce(pc.row_no, pt.row_no) AS plan_row,
    CASE WHEN pc.row_no IS NOT NULL THEN pc.sheet ELSE pt.sheet END AS plan_sheet,
    coalesce(pc.subcommittee, pt.subcommittee) AS plan_subcommittee,
    CASE WHEN pc.row_no IS NOT NULL THEN pc.deadline ELSE pt.deadline END AS plan_deadline,
    coalesce(pc.weight, pt.weight) AS plan_weight,
    pu.unit IS NOT NULL AS planned_unit
-- (The keys are computed before the joins: a condition on the left side alone inside a LEFT JOIN's
-- ON clause trips DuckDB 2.0's optimizer when a column is all NULL in a transaction's new rows.)
FROM (
    SELECT
        *,
        CASE WHEN code IS NOT NULL THEN task_key END AS code_key,
        coalesce(text_key, text_key(task)) AS tkey
    FROM query_table(scope)
) AS t
LEFT JOIN (SELECT DISTINCT unit FROM plan_in_force) AS pu ON pu.unit = t.unit
LEFT JOIN (SELECT * FROM plan_in_force WHERE code IS NOT NULL) AS pc
    ON pc.unit = t.unit AND pc.task_key = t.code_key
LEFT JOIN plan_in_force AS pt
    ON pt.unit = t.unit AND pt.subcommittee = t.subcommittee AND pt.text_key = t.tkey
    AND (pt.code IS NULL OR t.code_key IS NULL);

-- Planned tasks as the rows of reports that do not mention them (`src`: plan_in_force's columns with
-- the report's submission_id and report_date, NULL for a unit with no report): not reported, progress 0.
CREATE OR REPLACE MACRO not_reported_from(src) AS TABLE
SELECT
    submission_id::INTEGER AS submission_id, sheet, row_no, code, task, task_key, subcommittee, deadline,
    'not_reported' AS status, NULL::DOUBLE AS percent, NULL::VARCHAR AS owner, weight, NULL::VARCHAR AS note,
    NULL::JSON AS extra, 0.0::DOUBLE AS progress, unit, report_date::DATE AS report_date,
    'not_reported' AS plan_state
FROM query_table(src);

-- The tasks of some reports as they count (`scope`: their tasks as plan_match takes them;
-- `reports`: those reports' id, unit and report_date). Without a plan (or for a unit the plan does
-- not name), as reported; against the plan, its planned tasks (the plan's deadline, weight and
-- subcommittee win) and, as not reported, the planned tasks a report omits. Extra tasks (reported,
-- not planned) do not count: see extra_tasks.
CREATE OR REPLACE MACRO counted_in(scope, reports) AS TABLE
WITH m AS MATERIALIZED (SELECT * FROM plan_match(scope)),

missing AS (
    SELECT p.*, r.id AS submission_id, r.report_date
    FROM query_table(reports) AS r
    JOIN plan_in_force AS p ON p.unit = r.unit
    ANTI JOIN m ON m.submission_id = r.id AND m.plan_row = p.row_no AND m.plan_sheet IS NOT DISTINCT FROM p.sheet
)

SELECT
    submission_id, sheet, row_no, code, task, task_key,
    coalesce(plan_subcommittee, subcommittee) AS subcommittee,
    CASE WHEN plan_row IS NOT NULL THEN coalesce(plan_deadline, deadline) ELSE deadline END AS deadline,
    status, percent, owner,
    coalesce(plan_weight, weight) AS weight,
    note, extra, progress, unit, report_date,
    CASE WHEN plan_row IS NOT NULL THEN 'planned' END AS plan_state
FROM m
WHERE plan_row IS NOT NULL OR NOT planned_unit
UNION ALL
SELECT * FROM not_reported_from('missing');

-- Every accepted report's tasks as they count (history and trends).
CREATE OR REPLACE VIEW counted_tasks AS
SELECT * FROM counted_in('task_progress', 'accepted_reports');

-- Tasks as they count (`src`: as counted_in gives them, or as reported where no plan is in force)
-- summed by report and subcommittee, not-applicable left out: the rows of report_summary.
CREATE OR REPLACE MACRO summed(src) AS TABLE
SELECT
    submission_id,
    unit,
    subcommittee,
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE status = 'blocked') AS blocked,
    sum(weight * progress) AS weighted,
    sum(weight) FILTER (WHERE progress IS NOT NULL) AS weight
FROM query_table(src)
WHERE status <> 'not_applicable'
GROUP BY submission_id, unit, subcommittee;

-- The accepted reports of some units (`units`, NULL for all) that report_summary has not summed yet,
-- and their tasks with the report's unit and date: what a write sums (store/refresh_summary.sql).
CREATE OR REPLACE MACRO unsummed_reports(units) AS TABLE
SELECT a.id, a.unit, a.report_date
FROM accepted_reports AS a
ANTI JOIN report_summary AS s ON s.submission_id = a.id
WHERE units IS NULL OR list_contains(units, a.unit);

CREATE OR REPLACE MACRO unsummed_tasks(units) AS TABLE
SELECT t.*, r.unit, r.report_date
FROM unsummed_reports(units) AS r
JOIN report_tasks AS t ON t.submission_id = r.id;

-- counted_tasks summed by subcommittee for each report that counts on its date (dated_reports; the
-- report_summary table, kept by every write), with its date and the unit's next report date: a trend
-- reads these instead of every task. readiness_of_sums(weighted, weight) over some rows is readiness_of
-- over their tasks.
CREATE OR REPLACE VIEW report_sums AS
SELECT s.*, r.report_date, r.next_report_date
FROM report_summary AS s
JOIN dated_reports AS r ON r.id = s.submission_id;

-- The plan in force summed by unit and subcommittee, as report_sums: what a planned unit with no
-- report counts (every planned task not reported, progress 0).
CREATE OR REPLACE VIEW plan_sums AS
SELECT
    unit,
    subcommittee,
    count(*) AS tasks,
    0::BIGINT AS done,
    0::BIGINT AS blocked,
    0.0::DOUBLE AS weighted,
    sum(weight) AS weight
FROM plan_in_force
GROUP BY unit, subcommittee;

-- The tasks as they count on `day`: each unit's report that counts that day (counts_on), and, with
-- a plan, every planned task of a planned unit with no report by then, as not reported.
CREATE OR REPLACE MACRO tasks_on(day) AS TABLE
WITH reports AS (
    SELECT id, unit, report_date FROM dated_reports WHERE counts_on(report_date, next_report_date, day)
),

scope AS (
    SELECT t.*, r.unit, r.report_date
    FROM reports AS r
    JOIN report_tasks AS t ON t.submission_id = r.id
),

unreported AS (
    SELECT p.*, NULL AS submission_id, NULL AS report_date
    FROM plan_in_force AS p
    ANTI JOIN reports AS r ON r.unit = p.unit
)

SELECT * FROM counted_in('scope', 'reports')
UNION ALL
SELECT * FROM not_reported_from('unreported');

-- What the board shows now for some units (`units`, NULL for all): each one's current report's tasks
-- as they count, and every planned task of a unit that has no report yet, as not reported. Computed
-- here (only over those units: a write touches one), stored by every write in the table
-- current_task_rows, read through current_tasks.
CREATE OR REPLACE MACRO current_tasks_of(units) AS TABLE
WITH reports AS (
    SELECT * FROM current_report_list WHERE units IS NULL OR list_contains(units, unit)
),

scope AS (
    SELECT * FROM current_report_tasks WHERE units IS NULL OR list_contains(units, unit)
),

unreported AS (
    SELECT p.*, NULL AS submission_id, NULL AS report_date
    FROM plan_in_force AS p
    ANTI JOIN current_reports AS c ON c.unit = p.unit
    WHERE units IS NULL OR list_contains(units, p.unit)
)

SELECT * FROM counted_in('scope', 'reports')
UNION ALL
SELECT * FROM not_reported_from('unreported');

-- Without a plan the current reports' tasks are what counts, read directly (no stored copy to keep).
CREATE OR REPLACE VIEW current_tasks AS
SELECT * EXCLUDE (text_key), NULL::VARCHAR AS plan_state
FROM current_report_tasks
WHERE NOT EXISTS (SELECT 1 FROM plans WHERE status = 'accepted')
UNION ALL
SELECT *
FROM current_task_rows
WHERE EXISTS (SELECT 1 FROM plans WHERE status = 'accepted');

-- The current reports' tasks outside the plan ("ngoài kế hoạch"): shown, not counted.
CREATE OR REPLACE VIEW extra_tasks AS
SELECT * EXCLUDE (plan_row, plan_sheet, plan_subcommittee, plan_deadline, plan_weight, planned_unit)
FROM plan_match('current_report_tasks')
WHERE plan_row IS NULL AND planned_unit;

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

-- Each unit's own assessment in its current report, beside the readiness the board computes for the
-- same scope (the whole unit when subcommittee is NULL), with a flag when they are far apart: rated
-- ready under the exercise's threshold or with overdue tasks, or rated not ready at 100%.
CREATE OR REPLACE MACRO assessed_on(day) AS TABLE
WITH figures AS (
    SELECT
        unit,
        subcommittee,
        readiness_of(weight, progress) AS readiness,
        count(*) FILTER (WHERE is_overdue(deadline, status, percent, day)) AS overdue
    FROM current_tasks
    WHERE status <> 'not_applicable'
    GROUP BY GROUPING SETS ((unit, subcommittee), (unit))
)

SELECT
    r.unit,
    a.subcommittee,
    a.rating,
    a.remark,
    a.ready_by,
    a.sheet,
    a.row_no,
    r.report_date,
    f.readiness,
    coalesce(f.overdue, 0) AS overdue,
    (a.rating = 'ready' AND (f.readiness < e.assessment_threshold OR f.overdue > 0))
    OR (a.rating = 'not_ready' AND f.readiness >= 100) AS far_from_figures
FROM current_report_list AS r
JOIN assessments AS a ON a.submission_id = r.id
CROSS JOIN exercise AS e
LEFT JOIN figures AS f ON f.unit = r.unit AND f.subcommittee IS NOT DISTINCT FROM a.subcommittee;

-- One subcommittee's sums per unit on every report day up to a day (the trend's rows): each unit
-- counted with its latest report dated on or before the day, from report_sums; with a plan, a planned
-- unit with no report by that day counts its planned tasks as not reported.
CREATE OR REPLACE MACRO subcommittee_days(sub, upto) AS TABLE
WITH days AS (
    SELECT day, dense_rank() OVER (ORDER BY day) AS n
    FROM (SELECT DISTINCT report_date AS day FROM accepted_reports WHERE report_date <= upto)
),

-- The days a report counts on (counts_on: from its date until the unit's next report date) are a
-- run of consecutive days here, numbered first_n to end_n - 1: the run is unnested, not every report
-- joined with every day by a range.
spans AS (
    SELECT
        s.unit,
        s.weighted,
        s.weight,
        s.tasks,
        f.n AS first_n,
        coalesce(e.n, (SELECT count(*) FROM days) + 1) AS end_n
    FROM report_sums AS s
    JOIN days AS f ON f.day = s.report_date
    LEFT JOIN days AS e ON e.day = s.next_report_date
    WHERE s.subcommittee = sub
)

SELECT d.day, s.unit, s.weighted, s.weight, s.tasks
FROM (SELECT *, unnest(range(first_n, end_n)) AS n FROM spans) AS s
JOIN days AS d ON d.n = s.n
UNION ALL
SELECT d.day, p.unit, p.weighted, p.weight, p.tasks
FROM days AS d
JOIN plan_sums AS p ON p.subcommittee = sub
ANTI JOIN (SELECT unit, min(report_date) AS first FROM accepted_reports GROUP BY unit) AS f
    ON f.unit = p.unit AND f.first <= d.day;
