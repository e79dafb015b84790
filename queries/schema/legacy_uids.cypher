// Nodes whose uid may embed personal data (graphs loaded before uids were keyed hashes): persons and
// agents named within a record, addresses, phones, emails. The caller keeps those not yet opaque.
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
RETURN elementId(n) AS id, n.uid AS uid
