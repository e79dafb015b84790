// One subject with what its page shows first: its properties, its dishonesty records, its latest
// assessment and how much IP it holds or handled.
MATCH (s:Subject {uid: $uid})
CALL (s) {
  OPTIONAL MATCH (s)-[:COMMITTED]->(v:Violation)
  RETURN collect(v {.*}) AS violations
}
CALL (s) {
  OPTIONAL MATCH (a:Assessment)-[:OF]->(s)
  WITH a ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
  RETURN a {.*} AS latest
}
RETURN labels(s) AS labels, s {.*} AS props, violations, latest,
       COUNT { (s)-[:APPLICANT_OF]->(:Patent) } AS patents,
       COUNT { (s)-[:APPLICANT_OF]->(:Trademark) } AS trademarks,
       COUNT { (s)-[:REPRESENTS]->() } AS represented,
       COUNT { (s)-[:{{party_ties}}]-(:Subject) } AS ties
