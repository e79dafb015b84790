// A subject's neighbourhood for the visual pages: every node within $depth hops (1..4) over party
// ties, contact links, IP links and records (types in $types; direction ignored), at most $max_nodes
// nodes (nearest first), with kind, labels, name and the level of its latest assessment if any; and
// every link among the returned nodes whose type is in $types, with its properties.
// Parameters: $uid, $depth (1..4), $types, $max_nodes.
MATCH (s:Subject {uid: $uid})
OPTIONAL MATCH p = (s)-[rels*1..4]-(n)
WHERE length(p) <= $depth AND all(r IN rels WHERE type(r) IN $types)
WITH s, n, min(length(p)) AS hops
ORDER BY hops, n.uid
WITH s, [x IN collect(n) WHERE x IS NOT NULL] AS near
WITH [s] + near[..$max_nodes - 1] AS keep, size(near) + 1 AS reachable
UNWIND keep AS n
OPTIONAL MATCH (asm:Assessment)-[:OF]->(n)
WITH keep, reachable, n, asm ORDER BY asm.as_of DESC, asm.created_at DESC
WITH keep, reachable, n, head(collect(asm.level)) AS level
WITH keep, reachable, collect({uid: n.uid, labels: labels(n), name: coalesce(n.name, n.title, n.value, n.number,
     n.behaviour_code), level: level, status: n.status}) AS nodes
CALL {
  WITH keep
  UNWIND keep AS a
  MATCH (a)-[r]->(b)
  WHERE type(r) IN $types AND b IN keep
  RETURN collect({type: type(r), start: a.uid, end: b.uid, properties: properties(r)}) AS links
}
RETURN nodes, links, reachable
