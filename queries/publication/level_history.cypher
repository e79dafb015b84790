// The level history (assessments as of $on at the latest, oldest first) of every subject that ever had
// one of $levels by then: the spans of the level lists (key supervision, trustworthy).
MATCH (s:Subject)
WHERE EXISTS { MATCH (a:Assessment)-[:OF]->(s) WHERE a.level IN $levels AND date(a.as_of) <= $on }
CALL (s) {
  MATCH (a:Assessment)-[:OF]->(s)
  WHERE date(a.as_of) <= $on
  WITH a ORDER BY a.as_of, a.created_at
  RETURN collect({level: a.level, as_of: date(a.as_of), factors: a.factors, uid: a.uid}) AS history
}
RETURN s.uid AS subject_uid, s.name AS name, s.credit_code AS credit_code, history
ORDER BY subject_uid
