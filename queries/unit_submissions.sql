-- Every file received for one unit, newest first, with its answer. $unit: the unit's name.
SELECT
    id,
    received_at,
    report_date,
    status,
    n_tasks AS tasks,
    source,
    submitted_by,
    original_name,
    json_array_length(errors) AS n_errors,
    json_array_length(warnings) AS n_warnings,
    withdrawn_at,
    id IN (SELECT id FROM latest_reports) AS current
FROM submissions
WHERE unit = $unit
ORDER BY received_at DESC, id DESC
