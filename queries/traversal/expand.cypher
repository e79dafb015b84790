// One breadth-first step, for the traversals in Python (queries.traversal.bfs): every link whose type
// is in $types (either direction) of the nodes with the given element ids, with the neighbour's
// uid, labels, name and, for a contact point, how many subjects share it. Breadth-first levels
// with a visited set cost the links within k hops, where a bounded variable-length pattern would
// enumerate every trail up to its literal bound before a `length(p) <= $k` filter applies.
// At most $per_node links of one node (by neighbour uid, then type), all of them when it is null.
// Parameters: $ids (element ids), $types (relationship types), $per_node (integer or null),
// $as_of (only ties in force then; null: all).
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id
CALL (n) {
  MATCH (n)-[t]-(m)
  WHERE type(t) IN $types AND ($as_of IS NULL OR {{> credit/_tie_in_force}})
  RETURN t, m
  ORDER BY m.uid, type(t)
  LIMIT coalesce($per_node, 1000000000)
}
RETURN id,
       elementId(m) AS other,
       m.uid AS uid,
       labels(m) AS labels,
       coalesce(m.name, m.title, m.value, m.number, m.behaviour_code) AS name,
       CASE WHEN m:Subject THEN null
            ELSE COUNT { (m)<-[x]-(:Subject) WHERE type(x) IN $types } END AS sharers,
       type(t) AS type,
       startNode(t).uid AS start,
       endNode(t).uid AS end,
       properties(t) AS properties
ORDER BY id, uid, type
