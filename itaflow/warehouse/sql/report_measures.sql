-- Every measure of some submissions, in document order, for the report's annex and
-- its "what the LAOs did" sections (themes are assigned by itaflow.compile).
SELECT
    m.submission_id,
    m.position,
    m.seq,
    m.category,
    m.indicator,
    m.measure,
    m.steps,
    m.responsible,
    m.period_text,
    m.period_start,
    m.period_end,
    m.result,
    m.outcome,
    m.status
FROM measures m
WHERE m.submission_id IN :ids
ORDER BY m.submission_id, m.position
