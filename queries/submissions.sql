-- Every file received, newest first, with its answer.
SELECT
    id,
    received_at,
    unit,
    report_date,
    status,
    n_tasks AS tasks,
    source,
    submitted_by,
    original_name,
    sha256,
    json_array_length(errors) AS n_errors,
    json_array_length(warnings) AS n_warnings,
    withdrawn_at
FROM submissions
ORDER BY received_at DESC, id DESC
