// One breadth-first step returning element ids only (queries.traversal.bfs_each, where only the set
// of reached nodes matters): the neighbours over links whose type is in $types, either direction.
// Parameters: $ids (element ids), $types (relationship types).
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
MATCH (n)-[r]-(m)
WHERE type(r) IN $types
RETURN id, elementId(m) AS other
