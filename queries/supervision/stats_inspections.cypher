// Inspections with a result recorded in the period, by the level the subject had when drawn: how many,
// and how many had findings.
MATCH (i:Inspection)-[:INSPECTS]->(s:Subject)
WHERE i.status = 'done' AND i.recorded_on >= $start AND i.recorded_on <= $end AND {{> supervision/_in_scope}}
RETURN i.level AS level, count(i) AS done, count(CASE WHEN i.outcome = 'findings' THEN 1 END) AS with_findings
ORDER BY level
