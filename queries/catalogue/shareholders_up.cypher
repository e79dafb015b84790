// Equity penetration upwards: who holds shares in the subject, directly or through other holders,
// up to $depth levels (1..6). A holder's cumulative ratio is the product of the SHAREHOLDER_OF
// ratios along a path, summed over every simple path (no node repeated, so circular holdings
// terminate and are not counted twice). A tie without a ratio counts as 0 and is reported.
// Only ties in force on $as_of count (a holding sold, or one not yet made, is no path).
// Parameters: $uid, $depth (1..6), $limit, $as_of.
MATCH (s:Subject {uid: $uid})
MATCH p = (h:Subject)-[:SHAREHOLDER_OF*1..6]->(s)
WHERE length(p) <= $depth
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
  AND all(t IN relationships(p) WHERE {{> credit/_tie_in_force}})
WITH h, p,
     reduce(acc = 1.0, r IN relationships(p) | acc * coalesce(r.ratio, 0.0)) AS product,
     any(r IN relationships(p) WHERE r.ratio IS NULL) AS unknown
WITH h,
     sum(product) AS ratio,
     count(p) AS paths,
     min(length(p)) AS min_depth,
     sum(CASE WHEN unknown THEN 1 ELSE 0 END) AS paths_without_ratio
RETURN h.uid AS uid,
       h.name AS name,
       [l IN labels(h) WHERE l <> 'Subject'] AS labels,
       ratio,
       paths,
       min_depth,
       paths_without_ratio,
       NOT EXISTS { (:Subject)-[t:SHAREHOLDER_OF]->(h) WHERE {{> credit/_tie_in_force}} } AS ultimate
ORDER BY ratio DESC, uid
LIMIT $limit
