// SHAREHOLDER_OF links that may lie on a cycle: the holder is itself held and the held company
// itself holds shares (a link failing either test is on no cycle). Ordered by uid, at most
// $max_edges links, so a graph-wide scan stays bounded.
// Parameters: $max_edges.
MATCH p = (a:Subject)-[:SHAREHOLDER_OF]->(b:Subject)
WHERE EXISTS { (:Subject)-[:SHAREHOLDER_OF]->(a) } AND EXISTS { (b)-[:SHAREHOLDER_OF]->(:Subject) }
RETURN a.uid AS start, b.uid AS end, relationships(p)[0].ratio AS ratio
ORDER BY start, end
LIMIT $max_edges
