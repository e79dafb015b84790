// The last sequence number allocated (0 before the first change).
OPTIONAL MATCH (q:Sequence {name: 'changes'})
RETURN coalesce(q.value, 0) AS head
