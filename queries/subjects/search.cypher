// Subjects whose name or aliases match a full-text query of folded terms (api/search_text.py; the CJK
// analyzer: Chinese bigrams, Latin words), relevance being Lucene's score,
// best first, with their latest credit level when one has been assessed. Natural persons only when
// $persons says the caller sees their names (the public does not: a name match would be an oracle);
// only in $region (a division-code prefix) when it is given (a region-scoped key).
CALL db.index.fulltext.queryNodes('subject_names', $query, {limit: $limit}) YIELD node, score
WITH node, score WHERE ($persons OR NOT node:Person)
  AND ($region IS NULL OR coalesce(node.region_code, '') STARTS WITH $region)
RETURN node.uid AS uid, node.name AS name, coalesce(node.aliases, []) AS aliases, labels(node) AS labels,
       node.credit_code AS credit_code, score AS relevance, false AS exact,
       COLLECT {
         MATCH (a:Assessment)-[:OF]->(node)
         RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
       }[0] AS level
