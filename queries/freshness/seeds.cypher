// The given subjects as a walk starts from them: hub or not, holding a record or not, what they reached
// (the same fields as queries/freshness/neighbours.cypher gives each neighbour).
UNWIND $uids AS u
MATCH (n:Subject {uid: u})
RETURN n.uid AS uid,
  COUNT { (n)-[:{{party_ties}}]-() } > $hub_skip_above AS hub,
  EXISTS { (n)-[:COMMITTED]->(:Violation) } AS offender,
  coalesce(n.reached_uids, []) AS reached
