// Every link whose type is in $types between two of the given nodes, with its properties (the links
// of a neighbourhood sub-graph), in force on $as_of (null: all). Parameters: $ids (element ids), $types, $as_of.
UNWIND $ids AS id
MATCH (a)
WHERE elementId(a) = id
MATCH (a)-[t]->(b)
WHERE type(t) IN $types AND elementId(b) IN $ids AND ($as_of IS NULL OR {{> credit/_tie_in_force}})
RETURN a.uid AS start, b.uid AS end, type(t) AS type, properties(t) AS properties
ORDER BY start, type, end
