-- Which checks failed on the current submission of each LAO of the province, in every
-- round up to the given fiscal year: the report lists the same finding in 2+ rounds.
SELECT DISTINCT s.lao_code, s.fiscal_year, s.round, f.check_id
FROM current_submissions s
JOIN agencies a ON a.lao_code = s.lao_code
JOIN findings f ON f.submission_id = s.id AND f.receipt_id IS NULL
WHERE s.fiscal_year <= :fiscal_year
  AND (a.province_th = :province OR CAST(:province AS VARCHAR(200)) IS NULL)
ORDER BY s.lao_code, s.fiscal_year, s.round, f.check_id
