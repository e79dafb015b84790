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
    ((a:Subject)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(b:Subject)
      WHERE (a = o OR COUNT { (a)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND ((r.since IS NULL OR date(r.since) <= $as_of) AND (r.until IS NULL OR date(r.until) > $as_of))){1,3}
    (s:Subject)
  WHERE size(r) <= $k AND s <> o
  RETURN s, nodes(p) AS ns,
    [t IN r | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
  UNION ALL
  WITH o
  MATCH p1 = (o)
    ((a:Subject)-[r1:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(b:Subject)
      WHERE (a = o OR COUNT { (a)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND ((r1.since IS NULL OR date(r1.since) <= $as_of) AND (r1.until IS NULL OR date(r1.until) > $as_of))){0,2}
    (x:Subject)-[c1:LOCATED_AT|USES_PHONE|USES_EMAIL]->(cp)
  WHERE size(r1) < $k AND (x = o OR COUNT { (x)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND ((c1.since IS NULL OR date(c1.since) <= $as_of) AND (c1.until IS NULL OR date(c1.until) > $as_of))
  WITH o, p1, r1, x, c1, cp, COUNT { (cp)<-[:LOCATED_AT|USES_PHONE|USES_EMAIL]-() } AS sharers
  WHERE sharers <= $skip_above
  MATCH p2 = (cp)<-[c2:LOCATED_AT|USES_PHONE|USES_EMAIL]-(y:Subject)
    ((c:Subject)-[r2:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(d:Subject)
      WHERE COUNT { (c)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above AND ((r2.since IS NULL OR date(r2.since) <= $as_of) AND (r2.until IS NULL OR date(r2.until) > $as_of))){0,2}
    (s:Subject)
  WHERE type(c2) = type(c1) AND x <> y AND size(r1) + size(r2) + 1 <= $k AND s <> o AND ((c2.since IS NULL OR date(c2.since) <= $as_of) AND (c2.until IS NULL OR date(c2.until) > $as_of))
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
WITH s, o, ns, v,
  [st IN marked | st {.*, weight:
      CASE WHEN st.via IS NOT NULL
           THEN $suspected_weight * CASE WHEN st.sharers <= $full_up_to THEN 1.0 ELSE toFloat($full_up_to) / st.sharers END
           ELSE w[st.type] * CASE WHEN st.type <> 'SHAREHOLDER_OF' THEN 1.0
                                 WHEN coalesce(st.ratio, $missing_ratio) > $control_ratio THEN 1.0
                                 ELSE coalesce(st.ratio, $missing_ratio) END
      END * CASE WHEN st.after THEN $after_factor ELSE 1.0 END}] AS weighted
WITH s, o, ns, v, weighted,
  reduce(x = 1.0, st IN weighted | x * st.weight) * $decay ^ (size(weighted) - 1) AS raw
WITH s, o, ns, v, weighted, CASE WHEN raw > 1.0 THEN 1.0 ELSE raw END AS strength
WHERE strength >= $min_strength
RETURN s.uid AS subject_uid,
  s:Agency OR s:Agent AS agency,
  o.uid AS offender_uid,
  o.name AS offender_name,
  reverse([n IN ns WHERE n:Subject | n.uid]) AS path,
  weighted AS steps,
  size(weighted) AS hops,
  strength,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number} AS violation
