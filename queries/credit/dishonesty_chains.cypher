// Dishonesty chains of one subject as of a date: every path from $uid over party ties (direction
// ignored, at most $k <= 3 hops; at most one suspected tie through a shared address/phone/email) to
// another subject holding a record in force on $as_of, with each step, the strength and the record.
// Weights come in as maps (tie type -> weight) so the policy stays data:
//   step weight = tie weight (x ratio for a shareholding, x 1 above $control_ratio; suspected: $suspected_weight, scaled by
//   $full_up_to / sharers when more share the point, skipped above $skip_above sharers)
//   x $after_factor when the tie was formed after the record's decision (time order);
//   strength = product of step weights x $decay^(hops - 1), at most 1.
MATCH (s:Subject {uid: $uid})
CALL {
  WITH s
  MATCH p = (s)
    ((a:Subject)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(b:Subject)
      WHERE (a = s OR COUNT { (a)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND all(t IN [r] WHERE {{> credit/_tie_in_force}})){1,3}
    (o:Subject WHERE EXISTS { (o)-[:COMMITTED]->(:Violation) })
  WHERE size(r) <= $k AND o <> s
  RETURN o, nodes(p) AS ns,
    [t IN r | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
  UNION ALL
  WITH s
  MATCH p1 = (s)
    ((a:Subject)-[r1:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(b:Subject)
      WHERE (a = s OR COUNT { (a)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND all(t IN [r1] WHERE {{> credit/_tie_in_force}})){0,2}
    (x:Subject)-[c1:LOCATED_AT|USES_PHONE|USES_EMAIL]->(cp)
  WHERE size(r1) < $k AND (x = s OR COUNT { (x)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above) AND all(t IN [c1] WHERE {{> credit/_tie_in_force}})
  WITH s, p1, r1, x, c1, cp, COUNT { (cp)<-[:LOCATED_AT|USES_PHONE|USES_EMAIL]-() } AS sharers
  WHERE sharers <= $skip_above
  MATCH p2 = (cp)<-[c2:LOCATED_AT|USES_PHONE|USES_EMAIL]-(y:Subject)
    ((c:Subject)-[r2:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-(d:Subject)
      WHERE COUNT { (c)-[:LEGAL_REP_OF|SHAREHOLDER_OF|OFFICER_OF|BRANCH_OF|AGENT_OF|FAMILY_OF]-() } <= $hub_skip_above AND all(t IN [r2] WHERE {{> credit/_tie_in_force}})){0,2}
    (o:Subject)
  WHERE type(c2) = type(c1) AND x <> y AND size(r1) + size(r2) + 1 <= $k AND o <> s AND all(t IN [c2] WHERE {{> credit/_tie_in_force}})
    AND EXISTS { (o)-[:COMMITTED]->(:Violation) }
  RETURN o, nodes(p1) + tail(nodes(p2)) AS ns,
    [t IN r1 | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}]
    + [{type: type(c1), start: x.uid, end: y.uid, ratio: null,
        since: CASE WHEN c1.since IS NULL THEN c2.since WHEN c2.since IS NULL THEN c1.since
                    WHEN date(c1.since) > date(c2.since) THEN c1.since ELSE c2.since END,
        until: null, via: cp.uid, sharers: sharers}]
    + [t IN r2 | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
}
WITH s, o, ns, steps
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
MATCH (o)-[:COMMITTED]->(v:Violation)
WHERE NOT v.behaviour_code IN $positive_codes
  AND {{> credit/_record_in_force}}
WITH s, o, ns, v, CASE WHEN s:Agency OR s:Agent THEN $agency_weights ELSE $weights END AS w,
  [st IN steps | st {.*, after: st.since IS NOT NULL AND date(st.since) > date(v.decided_on)}] AS marked
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
  o.uid AS offender_uid,
  o.name AS offender_name,
  [n IN ns WHERE n:Subject | n.uid] AS path,
  weighted AS steps,
  size(weighted) AS hops,
  strength,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number} AS violation
ORDER BY strength DESC, hops, offender_uid, violation.uid
LIMIT $max_chains
