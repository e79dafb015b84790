// Subjects found exactly by uid or by unified social credit code (a search box accepts both); only in
// $region (a division-code prefix) when it is given.
OPTIONAL MATCH (a:Subject {uid: $query})
OPTIONAL MATCH (b:Company {credit_code: $query})
WITH [x IN [a, b] WHERE x IS NOT NULL] AS found
UNWIND found AS node
WITH DISTINCT node
WHERE $region IS NULL OR coalesce(node.region_code, '') STARTS WITH $region
RETURN node.uid AS uid, node.name AS name, coalesce(node.aliases, []) AS aliases, labels(node) AS labels,
       node.credit_code AS credit_code, 1000.0 AS relevance, true AS exact,
       COLLECT {
         MATCH (a:Assessment)-[:OF]->(node)
         RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
       }[0] AS level
