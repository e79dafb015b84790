// Repair results: records whose publication ended by repair, all of them ($since null) or those a
// publication event in ($since, $head] ended; each with the last event that ended it (seq) and its holder.
CALL () {
  WITH 1 AS one WHERE $since IS NULL
  MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
  WHERE v.publication_end_reason = 'repair'
  RETURN s, v
  UNION
  WITH 1 AS one WHERE $since IS NOT NULL
  MATCH (c:Change)
  WHERE c.seq > $since AND c.seq <= $head AND size(coalesce(c.publication_ended, [])) > 0
  UNWIND c.publication_ended AS uid
  WITH DISTINCT uid
  MATCH (s:Subject)-[:COMMITTED]->(v:Violation {uid: uid})
  WHERE v.publication_end_reason = 'repair'
  RETURN s, v
}
WITH s, v,
  COLLECT { MATCH (c:Change {subject_uid: s.uid}) WHERE v.uid IN coalesce(c.publication_ended, []) AND c.seq <= $head
            RETURN c.seq ORDER BY c.seq DESC LIMIT 1 }[0] AS seq
RETURN {seq: seq} AS change, v {.uid, .doc_number, .repaired_on} AS record,
  {name: s.name, person: s:Person, credit_code: s.credit_code} AS subject,
  {ended_on: v.publication_ended_on, end_reason: v.publication_end_reason} AS publication
ORDER BY seq, record.uid
