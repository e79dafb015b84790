// Assessments whose stored factors (JSON) mention any of the given uids, to rewrite them after a rename.
MATCH (a:Assessment)
WHERE a.factors IS NOT NULL AND any(u IN $uids WHERE a.factors CONTAINS u)
RETURN elementId(a) AS id, a.factors AS factors
