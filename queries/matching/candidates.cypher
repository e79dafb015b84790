// Candidates for a batch of example parties (POST /match): per query, subjects found by an exact key
// (credit code, ID number) or by the full-text name index, with what scoring compares. Each query row:
// i (its index), text (a Lucene query of plain folded terms, or null), credit_code, id_numbers (a list),
// kind ('company', 'person' or null). `via` says which generators found the candidate.
UNWIND $queries AS q
CALL (q) {
  CALL (q) {
    MATCH (n:Company {credit_code: q.credit_code})
    RETURN n, 'credit_code' AS via
    UNION
    UNWIND q.id_numbers AS id_number
    MATCH (n:Person {id_number: id_number})
    RETURN n, 'id_number' AS via
    UNION
    WITH q WHERE q.text IS NOT NULL
    CALL db.index.fulltext.queryNodes('subject_names', q.text, {limit: $limit}) YIELD node
    RETURN node AS n, 'name' AS via
  }
  WITH n, collect(DISTINCT via) AS via
  WHERE q.kind IS NULL OR (q.kind = 'person' AND n:Person) OR (q.kind = 'company' AND n:Company)
  RETURN n, via
}
RETURN q.i AS i, n.uid AS uid, n.name AS name, coalesce(n.aliases, []) AS aliases, labels(n) AS labels,
       n.credit_code AS credit_code, n.id_number AS id_number, n.birth_date AS birth_date,
       coalesce(n.country, n.nationality) AS country, coalesce(n.merged_uids, []) AS merged_uids, via,
       COLLECT { MATCH (n)-[:LOCATED_AT]->(a:Address) RETURN a.value LIMIT 20 } AS addresses,
       COLLECT { MATCH (n)-[:USES_PHONE]->(p:Phone) RETURN p.value LIMIT 20 } AS phones
