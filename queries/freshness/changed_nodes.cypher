// Nodes of one label written by the load of $loaded_at (an unchanged record keeps its older loaded_at),
// with whether the node (a subject) holds a record: its change can reach everyone its records reach.
MATCH (n:{{label}})
WHERE n.loaded_at = $loaded_at
OPTIONAL MATCH (holder:Subject)-[:COMMITTED]->(n)
RETURN coalesce(holder.uid, n.uid) AS uid, n.uid AS changed, holder IS NOT NULL OR EXISTS { (n)-[:COMMITTED]->() } AS holds
