// For each group {uid, ids}: how many distinct violations in force on $as_of the subjects with the
// given element ids committed, and how many of those subjects hold one (the surrounding risk of a
// risk scan; the groups come from a breadth-first traversal in Python). In force on $as_of: decided
// by then, not expired, status in_force (or ended only later), not suspended by then.
// Parameters: $groups (list of {uid, ids}), $as_of (date).
UNWIND $groups AS g
CALL {
  WITH g
  UNWIND g.ids AS id
  MATCH (o:Subject)
  WHERE elementId(o) = id
  MATCH (o)-[:COMMITTED]->(v:Violation)
  WHERE date(v.decided_on) <= $as_of AND (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
    AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
    AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of)
  RETURN count(DISTINCT v) AS surrounding, count(DISTINCT o) AS surrounding_subjects
}
RETURN g.uid AS uid, surrounding, surrounding_subjects
