// Related parties of one subject: every subject within $k hops (1..6) over registry-backed party
// ties whose type is in $types (a subset of schema.PARTY_TIES; direction ignored), each with its
// hop distance and one shortest path (nodes and ties). Contact points are never crossed here.
// Parameters: $uid, $types (list of tie types), $k (1..6), $limit (max parties returned).
MATCH (s:Subject {uid: $uid})
MATCH p = (s)-[rels*1..6]-(o:Subject)
WHERE length(p) <= $k
  AND all(r IN rels WHERE type(r) IN $types)
  AND all(n IN nodes(p) WHERE n:Subject)
  AND o <> s
WITH o, p
ORDER BY length(p)
WITH o, head(collect(p)) AS p
RETURN o.uid AS uid,
       o.name AS name,
       [l IN labels(o) WHERE l <> 'Subject'] AS labels,
       length(p) AS hops,
       [n IN nodes(p) | n.uid] AS path_uids,
       [r IN relationships(p) | {type: type(r), start: startNode(r).uid, end: endNode(r).uid, ratio: r.ratio}] AS ties
ORDER BY hops, uid
LIMIT $limit
