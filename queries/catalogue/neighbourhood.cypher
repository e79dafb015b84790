// The nodes of a neighbourhood found breadth-first (queries.traversal.bfs), for the catalogue and the
// visual pages: each with its labels, name, status, properties and the level of its latest assessment.
// Parameters: $ids (element ids).
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
OPTIONAL MATCH (asm:Assessment)-[:OF]->(n)
WITH id, n, asm
ORDER BY asm.as_of DESC, asm.created_at DESC
WITH id, n, head(collect(asm.level)) AS level
RETURN id, n.uid AS uid, labels(n) AS labels,
       coalesce(n.name, n.title, n.value, n.number, n.behaviour_code) AS name,
       level, n.status AS status, properties(n) AS properties
