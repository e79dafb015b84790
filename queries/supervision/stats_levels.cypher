// Subjects by level (as of $on, from the assessment history), region and kind. A subject not yet
// assessed by $on has level null.
MATCH (s:Subject)
WHERE {{> supervision/_in_scope}}
WITH s, COLLECT {
  MATCH (a:Assessment)-[:OF]->(s) WHERE a.as_of <= $on
  RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
}[0] AS level
RETURN level, s.region_code AS region_code, s.province AS province, s.city AS city, s.county AS county,
       {{> supervision/_kind}} AS kind, count(*) AS subjects
ORDER BY level, region_code, kind
