-- The submission that counts for each LAO and round: the newest version.
-- Earlier versions stay in `submissions` (is_current false, superseded_by set).
-- first_received_at is when the LAO first sent anything for the round: the
-- report judges "on time" by it, so a late correction does not make a report late.
CREATE VIEW current_submissions AS
SELECT
    s.id,
    s.lao_code,
    s.fiscal_year,
    s.round,
    s.version,
    s.status,
    s.verdict,
    s.reason,
    s.received_at,
    s.original_name,
    s.sha256,
    s.format,
    s.match_score,
    (
        SELECT MIN(e.received_at)
        FROM submissions e
        WHERE e.lao_code = s.lao_code
          AND e.fiscal_year = s.fiscal_year
          AND e.round = s.round
          AND e.version IS NOT NULL
    ) AS first_received_at
FROM submissions s
WHERE s.is_current
