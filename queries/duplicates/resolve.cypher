// The subject a uid names now: itself, or the survivor of a merge that took it (`merged_uids`).
// The second branch scans subjects, so it runs only when the uid names no subject.
OPTIONAL MATCH (s:Subject {uid: $uid})
CALL (s) {
  WITH s WHERE s IS NULL
  MATCH (m:Subject) WHERE $uid IN m.merged_uids
  RETURN m LIMIT 1
  UNION
  WITH s WHERE s IS NOT NULL
  RETURN s AS m
}
RETURN m.uid AS uid
