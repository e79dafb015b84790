// The penalty records to exchange: all of them ($since null), or those a change event in ($since, $head]
// names (a new record, its publication started or ended); $on: only those published that day (the
// public export); records of the $exclude-d behaviours (positive ones) are no penalties. Each with its
// holder, the holder's legal representative (the latest tie) and the publication state, in an order
// that does not depend on uids (a graph that imported the file lists it the same). Events up to $head
// are all committed: sequence numbers are taken in commit order.
CALL () {
  WITH 1 AS one WHERE $since IS NULL
  MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
  RETURN s, v
  UNION
  WITH 1 AS one WHERE $since IS NOT NULL
  MATCH (c:Change)
  WHERE c.seq > $since AND c.seq <= $head
  UNWIND coalesce(c.new_records, []) + coalesce(c.publication_started, []) + coalesce(c.publication_ended, []) AS uid
  WITH DISTINCT uid
  MATCH (s:Subject)-[:COMMITTED]->(v:Violation {uid: uid})
  RETURN s, v
}
WITH s, v WHERE NOT v.behaviour_code IN $exclude AND ($on IS NULL OR {{> publication/_published}})
RETURN v.uid AS uid,
  {name: s.name, person: s:Person, credit_code: s.credit_code,
   legal_rep: COLLECT { MATCH (p:Subject)-[r:LEGAL_REP_OF]->(s) RETURN p.name ORDER BY r.since DESC, p.uid LIMIT 1 }[0]}
    AS subject,
  v {.*} AS record,
  {published_until: v.published_until, ended_on: v.publication_ended_on, end_reason: v.publication_end_reason}
    AS publication
ORDER BY record.decided_on, record.doc_number, record.behaviour_code, uid
