-- Every expected LAO and its current submission for one round (NULL columns: missing).
-- Expected = the active LAOs of the province parameter in the registry, or, when it is
-- NULL, of every province that sent something for the round. An LAO that left the
-- registry still appears for a round it reported in.
SELECT
    a.lao_code,
    a.full_name_th,
    a.type_th,
    a.district_th,
    a.province_th,
    c.id AS submission_id,
    c.status,
    c.version,
    c.received_at,
    c.first_received_at,
    c.original_name
FROM agencies a
LEFT JOIN current_submissions c
    ON c.lao_code = a.lao_code
    AND c.fiscal_year = :fiscal_year
    AND c.round = :round
WHERE (a.active OR c.id IS NOT NULL)
  AND (
      a.province_th = :province
      OR (
          CAST(:province AS VARCHAR(200)) IS NULL
          AND a.province_th IN (
              SELECT g.province_th
              FROM agencies g
              JOIN submissions s ON s.lao_code = g.lao_code
              WHERE s.fiscal_year = :fiscal_year AND s.round = :round
          )
      )
  )
ORDER BY a.province_code, a.district_th, a.lao_code
