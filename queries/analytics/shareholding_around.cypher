// SHAREHOLDER_OF links within $depth hops (1..6) of the seed subjects (direction ignored while
// collecting; the links keep their direction), for finding circular holdings through them.
// Parameters: $seeds (list of subject uids), $depth (1..6), $max_edges.
UNWIND $seeds AS seed
MATCH (s:Subject {uid: seed})
MATCH p = (s)-[:SHAREHOLDER_OF*1..6]-()
WHERE length(p) <= $depth
UNWIND relationships(p) AS r
WITH DISTINCT r
LIMIT $max_edges
RETURN startNode(r).uid AS start, endNode(r).uid AS end, r.ratio AS ratio
