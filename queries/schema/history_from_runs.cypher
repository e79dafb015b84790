// Migration 4: per-run assessments (one per subject per classification run) become history by change.
// For each subject not yet carrying a current state: its assessments in time order; a run whose level,
// score and factors equal the run before it is deleted (it repeated a state already recorded), so every
// state the subject ever had, every level, stays; the last one becomes the state on the subject
// (factors null for a base assessment, whose factors were '{}'). Record and chain lists are unknown for
// migrated states, so the first re-grading reports no "new" record or chain against them.
MATCH (s:Subject)
WHERE s.level IS NULL AND EXISTS { (:Assessment)-[:OF]->(s) }
CALL (s) {
  MATCH (a:Assessment)-[:OF]->(s)
  WITH s, a ORDER BY a.as_of, a.created_at, a.uid
  WITH s, collect(a) AS runs
  WITH s, runs, [i IN range(1, size(runs) - 1)
    WHERE runs[i].level = runs[i - 1].level AND runs[i].score = runs[i - 1].score
      AND runs[i].factors = runs[i - 1].factors | runs[i]] AS repeats
  WITH s, runs[size(runs) - 1] AS last, repeats
  SET s.level = last.level, s.score = last.score, s.policy_version = last.policy_version,
      s.as_of = last.as_of, s.assessed_at = last.created_at,
      s.factors = CASE WHEN last.factors = '{}' THEN null ELSE last.factors END
  FOREACH (a IN repeats | DETACH DELETE a)
} IN TRANSACTIONS OF 1000 ROWS
