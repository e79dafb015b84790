// Applied measures, newest first: of one subject ($subject), one department ($department), active or
// ended ($active; null: both), a page ($offset, $limit; null limit: all) and the total, each with its
// execution feedback (oldest first).
MATCH (s:Subject)-[:SUBJECT_TO]->(m:AppliedMeasure)
WHERE ($subject IS NULL OR s.uid = $subject) AND ($department IS NULL OR m.department = $department)
  AND ($active IS NULL OR (m.ended_on IS NULL) = $active)
WITH s, m ORDER BY m.started_on DESC, m.uid
WITH collect([s, m]) AS found
WITH size(found) AS total, found[$offset..$offset + coalesce($limit, size(found))] AS page
CALL (page) {
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i][0] AS s, page[i][1] AS m
  OPTIONAL MATCH (f:MeasureFeedback)-[:ABOUT]->(m)
  WITH i, s, m, f ORDER BY f.on, f.created_at
  WITH i, s, m, collect(f {.uid, .on, .department, .text, .actor}) AS feedback
  ORDER BY i
  RETURN collect(m {.uid, .subject_uid, .rule, .level, .measure, .department, .started_on, .planned_end,
    .ended_on, .end_reason, name: s.name, credit_code: s.credit_code, feedback: feedback}) AS items
}
RETURN total, items
