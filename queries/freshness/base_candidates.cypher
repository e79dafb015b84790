// Subjects whose maintained state is not the base state ($level, $score, no factors, this policy
// version): a full classification writes the base state only to these, never to the many already there.
MATCH (s:Subject)
WHERE s.level IS NULL OR s.level <> $level OR s.score <> $score OR s.factors IS NOT NULL
  OR coalesce(s.policy_version, '') <> $version
RETURN s.uid AS uid, s:Agency OR s:Agent AS agency
