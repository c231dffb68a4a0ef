-- Measures of some submissions, counted by category (IIT/EIT/OIT) and status.
SELECT m.submission_id, m.category, m.status, COUNT(*) AS n
FROM measures m
WHERE m.submission_id IN :ids
GROUP BY m.submission_id, m.category, m.status
