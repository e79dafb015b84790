// Shortest paths for many pairs of parties in one statement: for each {from, to} in $pairs, the
// shortest path over ties whose type is in $types, direction ignored, at most $max_hops hops
// (1..8); hops is null when the pair is not connected within the limit (or a party is unknown).
// Parameters: $pairs (list of {from, to}), $types, $max_hops (1..8).
UNWIND $pairs AS pair
OPTIONAL MATCH (a:Subject {uid: pair.from})
OPTIONAL MATCH (b:Subject {uid: pair.to})
CALL {
  WITH a, b
  OPTIONAL MATCH p = shortestPath((a)-[rels*..8]-(b))
  WHERE a <> b AND all(r IN rels WHERE type(r) IN $types)
  RETURN p
}
WITH pair, a, b, CASE WHEN p IS NOT NULL AND length(p) <= $max_hops THEN p END AS p
RETURN pair.from AS from_uid,
       pair.to AS to_uid,
       a IS NOT NULL AND b IS NOT NULL AS known,
       length(p) AS hops,
       CASE WHEN p IS NULL THEN [] ELSE [n IN nodes(p) | {uid: n.uid, name: n.name, labels: labels(n)}] END AS nodes,
       CASE WHEN p IS NULL THEN [] ELSE
         [r IN relationships(p) | {type: type(r), start: startNode(r).uid, end: endNode(r).uid}] END AS ties
