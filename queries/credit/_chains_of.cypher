// The dishonesty chains of the subject `s` in scope as of a date, one `chain` map per row, strongest
// first, at most $max_chains (shared by dishonesty_chains.cypher and evaluation_facts.cypher): every
// path from s over party ties (direction ignored, at most $k <= 3 hops; at most one suspected tie
// through a shared address/phone/email) to another subject holding a record in force on $as_of, with
// each step, the strength and the record. Weights come in as maps (tie type -> weight) so the policy
// stays data:
//   step weight = tie weight (x ratio for a shareholding, x 1 above $control_ratio; suspected: $suspected_weight, scaled by
//   $full_up_to / sharers when more share the point, skipped above $skip_above sharers)
//   x $after_factor when the tie was formed after the record's decision (time order);
//   strength = product of step weights x $decay^(hops - 1), at most 1.
CALL {
  WITH s
  MATCH p = (s)
    ((a:Subject)-[r:{{party_ties}}]-(b:Subject)
      WHERE (a = s OR COUNT { (a)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [r] WHERE {{> credit/_tie_in_force}})){1,3}
    (o:Subject WHERE EXISTS { (o)-[:COMMITTED]->(:Violation) })
  WHERE size(r) <= $k AND o <> s
  RETURN o, nodes(p) AS ns,
    [t IN r | {type: type(t), start: startNode(t).uid, end: endNode(t).uid, ratio: t.ratio, since: t.since,
               until: t.until, via: null, sharers: null}] AS steps
  UNION ALL
  WITH s
  MATCH p1 = (s)
    ((a:Subject)-[r1:{{party_ties}}]-(b:Subject)
      WHERE (a = s OR COUNT { (a)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [r1] WHERE {{> credit/_tie_in_force}})){0,2}
    (x:Subject)-[c1:{{contact_links}}]->(cp)
  WHERE size(r1) < $k AND (x = s OR COUNT { (x)-[:{{party_ties}}]-() } <= $hub_skip_above) AND all(t IN [c1] WHERE {{> credit/_tie_in_force}})
  WITH s, p1, r1, x, c1, cp, COUNT { (cp)<-[:{{contact_links}}]-() } AS sharers
  WHERE sharers <= $skip_above
  MATCH p2 = (cp)<-[c2:{{contact_links}}]-(y:Subject)
    ((c:Subject)-[r2:{{party_ties}}]-(d:Subject)
      WHERE COUNT { (c)-[:{{party_ties}}]-() } <= $hub_skip_above AND all(t IN [r2] WHERE {{> credit/_tie_in_force}})){0,2}
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
{{> credit/_chain_strength}}
RETURN {subject_uid: s.uid, offender_uid: o.uid, offender_name: o.name, path: [n IN ns WHERE n:Subject | n.uid],
        steps: weighted, hops: size(weighted), strength: strength,
        violation: v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number}} AS chain
ORDER BY chain.strength DESC, chain.hops, chain.offender_uid, chain.violation.uid, chain.path,
  [st IN chain.steps | [st.type, st.start, st.end, coalesce(st.via, '')]]
LIMIT $max_chains
