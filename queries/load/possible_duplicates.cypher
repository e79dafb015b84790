// Link possible duplicates among the subjects written by one load (loaded_at >= $loaded_at), never merge:
// persons sharing an id number, or a normalised name and a birth date, across different uids;
// companies sharing a normalised name and a country, neither with a credit code.
// Each pair is linked once, from the lower uid to the higher; re-running adds nothing.
MATCH (a:Subject) WHERE a.loaded_at >= $loaded_at
CALL (a) {
  MATCH (b:Person:Subject {id_number: a.id_number})
  WHERE a:Person AND a.id_number IS NOT NULL AND b.uid <> a.uid
  RETURN b, 'same id_number' AS reason, 0.95 AS score
  UNION
  MATCH (b:Subject {name_norm: a.name_norm})
  WHERE a:Person AND b:Person AND a.birth_date IS NOT NULL AND b.birth_date = a.birth_date AND b.uid <> a.uid
  RETURN b, 'same name and birth date' AS reason, 0.8 AS score
  UNION
  MATCH (b:Subject {name_norm: a.name_norm})
  WHERE a:Company AND b:Company AND a.credit_code IS NULL AND b.credit_code IS NULL
    AND a.country IS NOT NULL AND b.country = a.country AND b.uid <> a.uid
  RETURN b, 'same name and country, no credit code' AS reason, 0.6 AS score
}
WITH CASE WHEN a.uid < b.uid THEN a ELSE b END AS x, CASE WHEN a.uid < b.uid THEN b ELSE a END AS y, reason, score
MERGE (x)-[r:{{rel}} {link_key: reason}]->(y)
ON CREATE SET r.reason = reason, r.score = score, r.source = 'resolution', r.source_ref = reason, r.loaded_at = $loaded_at
RETURN count(DISTINCT r) AS linked
