// Ultimate controllers / beneficial owners of a subject: holders at the top of its ownership
// chains (no shareholder of their own, or a person) whose cumulative ratio (product along a simple
// path, summed over paths, up to $depth levels 1..6) is at least $threshold (the policy's value).
// Only ties in force on $as_of count.
// Parameters: $uid, $depth (1..6), $threshold (0..1), $as_of.
MATCH (s:Subject {uid: $uid})
MATCH p = (h:Subject)-[:SHAREHOLDER_OF*1..6]->(s)
WHERE length(p) <= $depth
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
  AND all(t IN relationships(p) WHERE {{> credit/_tie_in_force}})
  AND (h:Person OR NOT EXISTS { (:Subject)-[t:SHAREHOLDER_OF]->(h) WHERE {{> credit/_tie_in_force}} })
WITH h, p, reduce(acc = 1.0, r IN relationships(p) | acc * coalesce(r.ratio, 0.0)) AS product
WITH h, sum(product) AS ratio, count(p) AS paths, min(length(p)) AS min_depth
WHERE ratio >= $threshold
RETURN h.uid AS uid,
       h.name AS name,
       [l IN labels(h) WHERE l <> 'Subject'] AS labels,
       ratio,
       paths,
       min_depth
ORDER BY ratio DESC, uid
