// One breadth-first step returning element ids only (queries.traversal.bfs_each, where only the set
// of reached nodes matters): the neighbours over links whose type is in $types, either direction.
// Parameters: $ids (element ids), $types (relationship types), $as_of (only ties in force then; null: all).
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
MATCH (n)-[t]-(m)
WHERE type(t) IN $types AND ($as_of IS NULL OR {{> credit/_tie_in_force}})
RETURN id, elementId(m) AS other
