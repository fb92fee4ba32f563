-- A database written before current_reports existed: accepted reports, and no current one.
SELECT NOT EXISTS (SELECT 1 FROM current_reports) AND EXISTS (SELECT 1 FROM accepted_reports)
