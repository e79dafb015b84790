// Records decided in the period by behaviour, most frequent first.
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE v.decided_on >= $start AND v.decided_on <= $end AND {{> supervision/_in_scope}}
RETURN v.behaviour_code AS behaviour_code, count(DISTINCT v) AS records, count(DISTINCT s) AS subjects
ORDER BY records DESC, behaviour_code
LIMIT $top
