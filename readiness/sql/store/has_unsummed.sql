-- Whether a report of the units a write touched ($units; NULL for all) is still to be summed.
SELECT EXISTS (SELECT 1 FROM unsummed_reports(CAST($units AS VARCHAR[])))
