-- Files of a round that could not be tied to an LAO (no agency recognised, or not
-- readable at all), for an officer to look at. A file that states the round counts
-- for it; a file that states no round counts when it arrived between window_start
-- and window_end. With a province, files stating another province are left out.
SELECT
    s.id AS submission_id,
    s.original_name,
    s.inbox_path,
    s.received_at,
    s.sha256,
    s.format,
    s.status AS state,
    s.reason,
    s.agency_name,
    s.stated_district,
    s.stated_province,
    s.fiscal_year,
    s.round
FROM submissions s
WHERE s.lao_code IS NULL
  AND s.status <> 'received'
  AND (
      (s.fiscal_year = :fiscal_year AND s.round = :round)
      OR (
          (s.fiscal_year IS NULL OR s.round IS NULL)
          AND s.received_at >= :window_start
          AND s.received_at < :window_end
      )
  )
  AND (
      CAST(:province AS VARCHAR(200)) IS NULL
      OR s.stated_province IS NULL
      OR s.stated_province = :province
  )
ORDER BY s.received_at, s.id
