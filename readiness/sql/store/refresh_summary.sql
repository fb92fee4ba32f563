-- In a write's transaction, with no plan in force: the reports of the units it touched ($units; NULL
-- for all) not summed yet, summed as reported (what counted_in gives without a plan, for a fraction of
-- the work: a write sums one report).
INSERT INTO report_summary BY NAME
WITH scope AS (
    SELECT * FROM unsummed_tasks(CAST($units AS VARCHAR[]))
)

SELECT * FROM summed('scope')
