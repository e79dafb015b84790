// Store evaluations as each subject's current state; history and change events only on change.
// Each row: uid, level, score, factors (JSON as on an :Assessment; null for a trivial evaluation: no
// record, no chain), evaluation (the full evaluation JSON, null when trivial), as_of, records and reached
// (violation uids held, and reached through chains; null when none), cause_kind, cause_uid.
// A subject whose level, score and factors are unchanged is not written at all (not even its
// assessed_at); one whose policy version or evidence beyond the factors alone differs (or that was
// migrated without its evidence) gets those only, no history. A change sets the state, adds an :Assessment, and, when the
// level moves or a record or a chain appears, a :Change numbered from the :Sequence node: the increment
// takes the node's write lock until commit, so concurrent writers get distinct, increasing numbers in
// commit order.
UNWIND $rows AS row
MATCH (s:Subject {uid: row.uid})
WITH s, row,
  s.level IS NULL OR s.level <> row.level OR s.score <> row.score
    OR coalesce(s.factors, '') <> coalesce(row.factors, '') AS changed
WHERE changed OR coalesce(s.policy_version, '') <> $version
  OR coalesce(s.evaluation, '') <> coalesce(row.evaluation, '')
SET s.policy_version = $version, s.evaluation = row.evaluation
WITH s, row, changed WHERE changed
WITH s, row, s.level AS old_level, s.score AS old_score,
  s.factors IS NOT NULL AND s.record_uids IS NULL AND s.reached_uids IS NULL AS unknown_evidence,
  coalesce(s.record_uids, []) AS had_records, coalesce(s.reached_uids, []) AS had_reached
WITH s, row, old_level, old_score,
  CASE WHEN unknown_evidence THEN [] ELSE [r IN coalesce(row.records, []) WHERE NOT r IN had_records] END AS new_records,
  CASE WHEN unknown_evidence THEN [] ELSE [r IN coalesce(row.reached, []) WHERE NOT r IN had_reached] END AS new_chains
SET s.level = row.level, s.score = row.score, s.factors = row.factors, s.as_of = date(row.as_of),
    s.assessed_at = $now, s.record_uids = row.records, s.reached_uids = row.reached
CREATE (a:Assessment {uid: 'assessment:' + s.uid + '@' + toString($now)})-[:OF]->(s)
SET a.level = row.level, a.score = row.score, a.as_of = date(row.as_of), a.policy_version = $version,
    a.factors = coalesce(row.factors, '{}'), a.created_at = $now, a.cause_kind = row.cause_kind,
    a.cause_uid = row.cause_uid
WITH s, row, old_level, old_score, new_records, new_chains
WITH count(*) AS states, collect(CASE WHEN old_level IS NULL OR old_level <> row.level OR size(new_records) > 0
    OR size(new_chains) > 0
  THEN {subject_uid: s.uid, old_level: old_level, new_level: row.level, old_score: old_score,
        new_score: row.score, new_records: new_records, new_chains: new_chains,
        cause_kind: row.cause_kind, cause_uid: row.cause_uid} END) AS events
CALL (events) {
  WITH events WHERE size(events) > 0
  MERGE (q:Sequence {name: 'changes'})
  SET q.value = coalesce(q.value, 0) + size(events)
  WITH q.value - size(events) AS last, events
  UNWIND range(0, size(events) - 1) AS i
  CREATE (c:Change {seq: last + i + 1})
  SET c += events[i], c.at = $now
  RETURN count(c) AS changes
}
RETURN states, changes
