// Suspected relations of a subject through shared contact points (LOCATED_AT, USES_PHONE,
// USES_EMAIL), kept apart from registry-backed ties. A contact point shared by more than
// $max_sharers subjects (a business-centre address, an agency's switchboard) ties nobody: it is
// returned under `skipped` instead, so nothing is silently dropped. Otherwise each shared point adds
//     weight = $base_weight * min(1, $full_weight_up_to / sharers)
// (the credit policy's rule: full weight while few share the point, then inversely to the sharers),
// and a related subject's weight is the sum over the points it shares, capped at $base_weight.
// Parameters: $uid, $contact_types (subset of schema.CONTACT_LINKS), $max_sharers,
// $full_weight_up_to, $base_weight.
// Returns one row: `related` (one entry per other subject, heaviest first) and `skipped`.
MATCH (s:Subject {uid: $uid})-[r1]->(c)
WHERE type(r1) IN $contact_types
WITH s, c, COUNT { (c)<-[x]-(:Subject) WHERE type(x) IN $contact_types } AS sharers
WITH s, collect(DISTINCT {c: c, sharers: sharers}) AS points
WITH s,
     [pt IN points WHERE pt.sharers > $max_sharers |
       {uid: pt.c.uid, kind: head(labels(pt.c)), value: pt.c.value, sharers: pt.sharers}] AS skipped,
     [pt IN points WHERE 2 <= pt.sharers <= $max_sharers] AS kept
CALL {
  WITH s, kept
  UNWIND kept AS pt
  WITH s, pt, pt.c AS c
  MATCH (c)<-[r2]-(o:Subject)
  WHERE type(r2) IN $contact_types AND o <> s
  WITH o, collect(DISTINCT {uid: c.uid, kind: head(labels(c)), value: c.value, sharers: pt.sharers,
                            weight: $base_weight * CASE WHEN pt.sharers <= $full_weight_up_to THEN 1.0
                                    ELSE toFloat($full_weight_up_to) / pt.sharers END}) AS shared
  WITH o, shared, reduce(w = 0.0, x IN shared | w + x.weight) AS raw
  ORDER BY raw DESC, o.uid
  RETURN collect({uid: o.uid, name: o.name, shared: shared,
                  weight: CASE WHEN raw > $base_weight THEN $base_weight ELSE raw END}) AS related
}
RETURN related, skipped
