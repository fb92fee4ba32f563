-- A database written before report_summary existed: accepted reports, and nothing summed.
SELECT NOT EXISTS (SELECT 1 FROM report_summary) AND EXISTS (SELECT 1 FROM accepted_reports)
