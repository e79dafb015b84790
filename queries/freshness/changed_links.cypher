// Links of one type written by the load of $loaded_at, by their two ends.
MATCH (a)-[r:{{rel}}]->(b)
WHERE r.loaded_at = $loaded_at
RETURN a.uid AS start, b.uid AS end
