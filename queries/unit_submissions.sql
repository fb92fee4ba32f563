-- Every file received for one unit, newest first, with its answer. $unit: the unit's name.
SELECT
    id,
    received_at,
    report_date,
    status,
    tasks,
    source,
    submitted_by,
    original_name,
    n_errors,
    n_warnings,
    withdrawn_at,
    current
FROM received_files
WHERE unit = $unit
ORDER BY received_at DESC, id DESC
