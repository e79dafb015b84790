// Bring each subject's applied measures in line with its level: end the active ones it no longer
// wants (left the level, or no serious record any more), start the wanted ones not active. A subject
// whose wanted measures are the active ones is not written. Each row: uid, on (the evaluation's date),
// level, wanted [{key, rule, measure, department, planned_end}]; $version, $now.
UNWIND $rows AS row
MATCH (s:Subject {uid: row.uid})
OPTIONAL MATCH (s)-[:SUBJECT_TO]->(m:AppliedMeasure)
WHERE m.ended_on IS NULL
WITH s, row, collect(m) AS active
WITH s, row,
  [m IN active WHERE NOT m.key IN [w IN row.wanted | w.key]] AS ending,
  [w IN row.wanted WHERE NOT w.key IN [m IN active | m.key]] AS starting
FOREACH (m IN ending | SET m.ended_on = date(row.on), m.end_reason = 'level ' + row.level)
FOREACH (w IN starting |
  CREATE (s)-[:SUBJECT_TO]->(:AppliedMeasure {uid: 'measure:' + randomUUID(), subject_uid: s.uid, key: w.key,
    rule: w.rule, level: w.level, measure: w.measure, department: w.department, started_on: date(row.on),
    planned_end: date(w.planned_end), policy_version: $version, created_at: $now}))
RETURN sum(size(starting)) AS started, sum(size(ending)) AS ended
