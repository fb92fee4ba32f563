-- Before every report is summed again (a plan load, a rebuild, a database from before the table).
DELETE FROM report_summary
