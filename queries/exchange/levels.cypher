// The level events of the change feed in ($since, $head] (publication events left out), oldest first,
// each with its subject's credit code and name.
MATCH (c:Change)
WHERE c.seq > $since AND c.seq <= $head AND c.cause_kind <> 'publication'
OPTIONAL MATCH (s:Subject {uid: c.subject_uid})
RETURN c {.*} AS change, {name: s.name, person: s:Person, credit_code: s.credit_code} AS subject
ORDER BY c.seq
