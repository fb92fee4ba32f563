-- The id of the report that counts now for $unit (no row when it has none).
SELECT id FROM current_reports WHERE unit = $unit
