// The shortest path between two parties over ties whose type is in $types (party ties, plus the
// contact links when contact points may be crossed), direction ignored, at most $max_hops hops
// (1..8). Returns no row when the parties are not connected within the limit.
// Parameters: $from_uid, $to_uid, $types, $max_hops (1..8).
MATCH (a:Subject {uid: $from_uid}), (b:Subject {uid: $to_uid})
WHERE a <> b
MATCH p = shortestPath((a)-[rels*..8]-(b))
WHERE all(r IN rels WHERE type(r) IN $types)
WITH p
WHERE length(p) <= $max_hops
RETURN length(p) AS hops,
       [n IN nodes(p) | {uid: n.uid, name: n.name, labels: labels(n)}] AS nodes,
       [r IN relationships(p) | {type: type(r), start: startNode(r).uid, end: endNode(r).uid}] AS ties
