-- Accounting per run (all runs, or the one named by the run_id parameter), oldest first.
SELECT run_id, first_received_at, received, accepted, accepted_with_warnings,
       rejected, quarantined, duplicates, pending
FROM run_accounting
WHERE CAST(:run_id AS VARCHAR(200)) IS NULL OR run_id = :run_id
ORDER BY first_received_at, run_id
