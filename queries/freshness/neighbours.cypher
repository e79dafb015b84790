// One breadth-first step over what chains follow, whatever the date (a tie formed or ended either side
// of it still moves someone): party ties in both directions, and shared contact points that chains may
// pass through before or after the load of $loaded_at (null: no load; at most $skip_above sharers not
// counting the links it wrote). Each neighbour says whether it is a hub (more than $hub_skip_above
// party ties: chains do not pass through it), whether it holds a record (a chain can start there) and
// which records its maintained state reaches (a chain it may have lost).
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
CALL (s) {
  MATCH (s)-[:{{party_ties}}]-(n:Subject)
  RETURN n
  UNION
  MATCH (s)-[:{{contact_links}}]->(cp)<-[:{{contact_links}}]-(n:Subject)
  WHERE COUNT { (cp)<-[c:{{contact_links}}]-()
                WHERE $loaded_at IS NULL OR c.loaded_at IS NULL OR c.loaded_at <> $loaded_at } <= $skip_above
  RETURN n
}
WITH u, s, n
WHERE n <> s
RETURN u AS from, collect({
  uid: n.uid,
  hub: COUNT { (n)-[:{{party_ties}}]-() } > $hub_skip_above,
  offender: EXISTS { (n)-[:COMMITTED]->(:Violation) },
  reached: coalesce(n.reached_uids, [])
}) AS found
