// The review queue: pairs of subjects linked POSSIBLE_SAME_AS (by the loader) that no one has decided,
// strongest first, one page of it and the total. A pair is decided once any of its links carries a
// `decision` (a merge removes the pair); the loader MERGEs these links by reason, so a decided pair
// keeps its decision on every reload.
MATCH (a:Subject)-[r:POSSIBLE_SAME_AS]-(b:Subject)
WHERE a.uid < b.uid
WITH a, b, collect(r) AS links
WHERE none(x IN links WHERE x.decision IS NOT NULL)
WITH a, b, links, reduce(top = 0.0, x IN links | CASE WHEN coalesce(x.score, 0.0) > top THEN x.score ELSE top END) AS top
ORDER BY top DESC, a.uid, b.uid
WITH collect({a: a, b: b, links: links, top: top}) AS pairs
WITH size(pairs) AS total, pairs[$offset..($offset + $limit)] AS page
CALL (page) {
  UNWIND page AS p
  WITH p.a AS a, p.b AS b, p.links AS links, p.top AS top
  RETURN collect({
    left: a {.uid, .name, .source, .source_ref, .id_number, .birth_date, .country, .nationality, .credit_code,
             labels: labels(a)},
    right: b {.uid, .name, .source, .source_ref, .id_number, .birth_date, .country, .nationality, .credit_code,
              labels: labels(b)},
    score: top,
    reasons: [x IN links | x {.reason, .score, .source, .source_ref}]
  }) AS pairs
}
RETURN total, pairs
