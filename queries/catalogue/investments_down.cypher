// Equity penetration downwards: which companies the subject holds shares in, directly or through
// its holdings, up to $depth levels (1..6). Cumulative ratio = product of SHAREHOLDER_OF ratios
// along a path, summed over every simple path (no node repeated: circular holdings terminate).
// Only ties in force on $as_of count (a holding sold, or one not yet made, is no path).
// Parameters: $uid, $depth (1..6), $limit, $as_of.
MATCH (s:Subject {uid: $uid})
MATCH p = (s)-[:SHAREHOLDER_OF*1..6]->(c:Subject)
WHERE length(p) <= $depth
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
  AND all(t IN relationships(p) WHERE {{> credit/_tie_in_force}})
WITH c, p,
     reduce(acc = 1.0, r IN relationships(p) | acc * coalesce(r.ratio, 0.0)) AS product,
     any(r IN relationships(p) WHERE r.ratio IS NULL) AS unknown
WITH c,
     sum(product) AS ratio,
     count(p) AS paths,
     min(length(p)) AS min_depth,
     sum(CASE WHEN unknown THEN 1 ELSE 0 END) AS paths_without_ratio
RETURN c.uid AS uid,
       c.name AS name,
       [l IN labels(c) WHERE l <> 'Subject'] AS labels,
       ratio,
       paths,
       min_depth,
       paths_without_ratio,
       false AS ultimate
ORDER BY ratio DESC, uid
LIMIT $limit
