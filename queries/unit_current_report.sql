-- The report that counts for one unit now (none if it has no accepted report): the upload page
-- checks against it whether a confirmed file changed the board. $unit: the unit's name.
SELECT id, report_date, received_at, original_name
FROM latest_reports
WHERE unit = $unit
