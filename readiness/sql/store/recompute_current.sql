-- The current report of each unit a write touched ($units; NULL for every unit), in the write's
-- transaction: the report dated last (of several that day, the last to arrive), as staging ranks them.
DELETE FROM current_reports
WHERE CAST($units AS VARCHAR[]) IS NULL OR list_contains(CAST($units AS VARCHAR[]), unit);
INSERT INTO current_reports
SELECT unit, id
FROM dated_reports
WHERE next_report_date IS NULL
    AND (CAST($units AS VARCHAR[]) IS NULL OR list_contains(CAST($units AS VARCHAR[]), unit));
