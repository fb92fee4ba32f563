-- Layer 2, macros: the board's rules, each written once. Staging views and named queries use them.

-- A task's progress (0-100), the contract's rule: done 100, in progress its percent (50 if none
-- given), not started 0, blocked its percent (0 if none), a planned task the unit did not report 0;
-- not applicable has none (NULL).
CREATE OR REPLACE MACRO progress_of(status, percent) AS
    CASE status
        WHEN 'done' THEN 100.0
        WHEN 'in_progress' THEN coalesce(percent, 50.0)
        WHEN 'not_started' THEN 0.0
        WHEN 'blocked' THEN coalesce(percent, 0.0)
        WHEN 'not_reported' THEN 0.0
    END;

-- A task's text reduced for matching a report's task to the plan's: no case, diacritics, spacing or
-- punctuation, as readiness.text.fold (which keys what the store writes); for rows stored before.
CREATE OR REPLACE MACRO text_key(task) AS
    regexp_replace(replace(lower(strip_accents(task)), 'đ', 'd'), '[^a-z0-9%]+', '', 'g');

-- A task is overdue on `day` when its deadline has passed and it is not finished: neither done, nor
-- not applicable, nor at 100% (a clerk who writes 100 beside "đang thực hiện" has finished).
CREATE OR REPLACE MACRO is_overdue(deadline, status, percent, day) AS
    deadline < day AND status NOT IN ('done', 'not_applicable') AND coalesce(percent, 0) < 100;

-- Days past the deadline of an overdue task; NULL for any other task.
CREATE OR REPLACE MACRO days_late(deadline, status, percent, day) AS
    CASE WHEN is_overdue(deadline, status, percent, day) THEN day - deadline END;

-- Readiness from a group's sums: the weighted progress over the weight of the tasks that have a
-- progress, 0-100 to one decimal; NULL when no task counts. The one formula the three below share.
CREATE OR REPLACE MACRO readiness_from(weighted, weight) AS
    round(weighted / nullif(weight, 0), 1);

-- Readiness of a group of tasks (an aggregate): the weighted mean of their progress. Not-applicable
-- tasks (no progress) weigh nothing.
CREATE OR REPLACE MACRO readiness_of(weight, progress) AS
    readiness_from(sum(weight * progress), sum(weight) FILTER (WHERE progress IS NOT NULL));

-- The same from several groups' sums added up (report_summary's weighted and weight, see there): what
-- readiness_of gives over their tasks.
CREATE OR REPLACE MACRO readiness_of_sums(weighted, weight) AS
    readiness_from(sum(weighted), sum(weight));

-- Whether a unit's report dated `report_date` is the one that counts on `day`: dated on or before
-- it, and the unit's next report date (NULL: none yet) still to come. See staging's dated_reports.
CREATE OR REPLACE MACRO counts_on(report_date, next_report_date, day) AS
    report_date <= day AND (next_report_date IS NULL OR day < next_report_date);
