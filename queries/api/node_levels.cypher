// The given subjects with their labels, properties and latest level (roots and path nodes of a page).
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN s {.*, _labels: labels(s)} AS node,
       COLLECT {
         MATCH (x:Assessment)-[:OF]->(s)
         RETURN x.level ORDER BY x.as_of DESC, x.created_at DESC LIMIT 1
       }[0] AS level
