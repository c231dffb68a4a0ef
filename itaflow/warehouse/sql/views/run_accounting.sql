-- Where every file received by a run ended. A receipt of bytes already received
-- (is_duplicate) ends rejected; the others end as their submission did, or are
-- still pending while the run is under way. When the run is done:
--   received = accepted + accepted_with_warnings + rejected + quarantined
CREATE VIEW run_accounting AS
SELECT
    r.run_id,
    MIN(r.received_at) AS first_received_at,
    COUNT(*) AS received,
    SUM(CASE WHEN NOT r.is_duplicate AND s.status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
    SUM(CASE WHEN NOT r.is_duplicate AND s.status = 'accepted_with_warnings' THEN 1 ELSE 0 END)
        AS accepted_with_warnings,
    SUM(CASE WHEN r.is_duplicate OR s.status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
    SUM(CASE WHEN NOT r.is_duplicate AND s.status = 'quarantined' THEN 1 ELSE 0 END) AS quarantined,
    SUM(CASE WHEN r.is_duplicate THEN 1 ELSE 0 END) AS duplicates,
    SUM(CASE WHEN NOT r.is_duplicate AND s.status = 'received' THEN 1 ELSE 0 END) AS pending
FROM receipts r
JOIN submissions s ON s.id = r.submission_id
GROUP BY r.run_id
