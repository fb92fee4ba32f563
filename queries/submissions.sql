-- Every file received, newest first, with its answer.
SELECT
    id,
    received_at,
    unit,
    report_date,
    status,
    tasks,
    source,
    submitted_by,
    original_name,
    sha256,
    n_errors,
    n_warnings,
    withdrawn_at
FROM received_files
ORDER BY received_at DESC, id DESC
