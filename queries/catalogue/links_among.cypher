// Every link whose type is in $types between two of the given nodes, with its properties (the links
// of a neighbourhood sub-graph). Parameters: $ids (element ids), $types.
UNWIND $ids AS id
MATCH (a)
WHERE elementId(a) = id
MATCH (a)-[r]->(b)
WHERE type(r) IN $types AND elementId(b) IN $ids
RETURN a.uid AS start, b.uid AS end, type(r) AS type, properties(r) AS properties
ORDER BY start, type, end
