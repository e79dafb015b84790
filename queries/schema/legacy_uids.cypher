// One page of the nodes whose uid may embed personal data (graphs loaded before uids were keyed hashes):
// persons and agents named within a record, addresses, phones, emails, in uid order after $after. Uids
// already opaque ($opaque, the pattern of `graph.identity.OPAQUE`) are left out here, in the database, so
// a graph with nothing to migrate returns nothing however many contact points it holds.
UNWIND $prefixes AS prefix
CALL (prefix) {
  MATCH (n:Subject) WHERE n.uid STARTS WITH prefix RETURN n
  UNION
  MATCH (n:Address) WHERE n.uid STARTS WITH prefix RETURN n
  UNION
  MATCH (n:Phone) WHERE n.uid STARTS WITH prefix RETURN n
  UNION
  MATCH (n:Email) WHERE n.uid STARTS WITH prefix RETURN n
}
WITH n WHERE n.uid > $after AND NOT n.uid =~ $opaque
RETURN elementId(n) AS id, n.uid AS uid
ORDER BY uid
LIMIT $batch
