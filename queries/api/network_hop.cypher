// One hop of a subject network for the visual pages, from a frontier of subjects: party ties, contact
// points and the other subjects sharing them (capped per point: a business centre is shared by hundreds),
// and violations. Each row is one edge with its far node and that node's latest level.
UNWIND $frontier AS fuid
MATCH (a:Subject {uid: fuid})
CALL (a) {
  MATCH (a)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF|POSSIBLE_SAME_AS]-(b:Subject)
  RETURN startNode(r).uid AS src, endNode(r).uid AS dst, type(r) AS rel, properties(r) AS rprops, b AS node
  LIMIT $per_node
  UNION ALL
  MATCH (a)-[r:COMMITTED]->(v:Violation)
  RETURN a.uid AS src, v.uid AS dst, type(r) AS rel, properties(r) AS rprops, v AS node
  LIMIT $per_node
  UNION ALL
  MATCH (a)-[r:LOCATED_AT|USES_PHONE|USES_EMAIL]->(c)
  RETURN a.uid AS src, c.uid AS dst, type(r) AS rel, properties(r) AS rprops, c AS node
  LIMIT $per_node
  UNION ALL
  MATCH (a)-[:LOCATED_AT|USES_PHONE|USES_EMAIL]->(c)
  CALL (a, c) {
    MATCH (c)<-[r:LOCATED_AT|USES_PHONE|USES_EMAIL]-(b:Subject)
    WHERE b <> a
    RETURN r, b LIMIT $per_contact
  }
  RETURN b.uid AS src, c.uid AS dst, type(r) AS rel, properties(r) AS rprops, b AS node
  LIMIT $per_node
}
RETURN src, dst, rel, rprops, node {.*, _labels: labels(node)} AS node,
       CASE WHEN node:Subject THEN COLLECT {
         MATCH (x:Assessment)-[:OF]->(node)
         RETURN x.level ORDER BY x.as_of DESC, x.created_at DESC LIMIT 1
       }[0] END AS level
