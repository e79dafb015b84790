// What a subject's region is computed from: its credit code and the addresses it is located at, with
// the region stored now (so only changes are written).
MATCH (s:Subject)
RETURN s.uid AS uid, s.credit_code AS credit_code,
       [(s)-[:LOCATED_AT]->(a:Address) WHERE a.value IS NOT NULL | a.value] AS addresses,
       s.region_code AS region_code, s.province AS province, s.city AS city, s.county AS county
ORDER BY uid
