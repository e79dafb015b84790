// Dishonesty chains, outward form (batch classification): from every record in force on $as_of (or
// from $violation_uid alone, whatever its state: whom a workflow step touches; $offender_uids, when not
// null, keeps only the records of those subjects: re-grading after a load) out over party ties
// (direction ignored, at most $k <= 3 hops; at most one suspected tie through a shared contact
// point) to every subject it reaches. Same steps, weights and strength as
// queries/credit/dishonesty_chains.cypher; steps and path run from the reached subject to the offender.
MATCH (o:Subject)-[:COMMITTED]->(v:Violation)
WHERE NOT v.behaviour_code IN $positive_codes
  AND ($offender_uids IS NULL OR o.uid IN $offender_uids)
  AND CASE WHEN $violation_uid IS NOT NULL THEN v.uid = $violation_uid
      ELSE {{> credit/_record_in_force}}
      END
WITH DISTINCT o
CALL {
  WITH o
  MATCH p = (o)
    ((a:Subject)-[r:{{party_ties}}]-(b:Subject)
      WHERE (a = o OR COUNT { (a)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [r] WHERE {{> credit/_tie_in_force}})){1,3}
    (s:Subject)
  WHERE size(r) <= $k AND s <> o
  RETURN s, nodes(p) AS ns,
    [t IN r | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
  UNION ALL
  WITH o
  MATCH p1 = (o)
    ((a:Subject)-[r1:{{party_ties}}]-(b:Subject)
      WHERE (a = o OR COUNT { (a)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [r1] WHERE {{> credit/_tie_in_force}})){0,2}
    (x:Subject)-[c1:{{contact_links}}]->(cp)
  WHERE size(r1) < $k AND (x = o OR COUNT { (x)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [c1] WHERE {{> credit/_tie_in_force}})
  WITH o, p1, r1, x, c1, cp, COUNT { (cp)<-[:{{contact_links}}]-() } AS sharers
  WHERE sharers <= $skip_above
  MATCH p2 = (cp)<-[c2:{{contact_links}}]-(y:Subject)
    ((c:Subject)-[r2:{{party_ties}}]-(d:Subject)
      WHERE COUNT { (c)-[:{{party_ties}}]-() } <= $hub_skip_above AND all(t IN [r2] WHERE {{> credit/_tie_in_force}})){0,2}
    (s:Subject)
  WHERE type(c2) = type(c1) AND x <> y AND size(r1) + size(r2) + 1 <= $k AND s <> o AND all(t IN [c2] WHERE {{> credit/_tie_in_force}})
  RETURN s, nodes(p1) + tail(nodes(p2)) AS ns,
    [t IN r1 | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}]
    + [{type: type(c1), start: x.uid, end: y.uid, ratio: null,
        since: CASE WHEN c1.since IS NULL THEN c2.since WHEN c2.since IS NULL THEN c1.since
                    WHEN date(c1.since) > date(c2.since) THEN c1.since ELSE c2.since END,
        until: null, via: cp.uid, sharers: sharers}]
    + [t IN r2 | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
}
WITH o, s, ns, steps
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
MATCH (o)-[:COMMITTED]->(v:Violation)
WHERE NOT v.behaviour_code IN $positive_codes
  AND CASE WHEN $violation_uid IS NOT NULL THEN v.uid = $violation_uid
      ELSE {{> credit/_record_in_force}}
      END
WITH s, o, ns, v, CASE WHEN s:Agency OR s:Agent THEN $agency_weights ELSE $weights END AS w,
  [st IN reverse(steps) | st {.*, after: st.since IS NOT NULL AND date(st.since) > date(v.decided_on)}] AS marked
{{> credit/_chain_strength}}
RETURN s.uid AS subject_uid,
  s:Agency OR s:Agent AS agency,
  o.uid AS offender_uid,
  o.name AS offender_name,
  reverse([n IN ns WHERE n:Subject | n.uid]) AS path,
  weighted AS steps,
  size(weighted) AS hops,
  strength,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number} AS violation
