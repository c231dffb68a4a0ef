-- The findings on the content of some submissions (receipt-level findings such as
-- duplicate_submission are about a file, not about the report, and are left out).
SELECT f.submission_id, f.check_id, f.severity, f.measure_seq, f.field, f.message
FROM findings f
WHERE f.receipt_id IS NULL
  AND f.submission_id IN :ids
ORDER BY f.submission_id, COALESCE(f.measure_seq, 0), f.id
