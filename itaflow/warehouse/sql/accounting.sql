-- Accounting per run (all runs, or one when :run_id is given), oldest first.
SELECT run_id, first_received_at, received, accepted, accepted_with_warnings,
       rejected, quarantined, duplicates, pending
FROM run_accounting
WHERE CAST(:run_id AS VARCHAR(200)) IS NULL OR run_id = :run_id
ORDER BY first_received_at, run_id
