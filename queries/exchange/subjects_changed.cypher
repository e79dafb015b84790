// The subjects the change events in ($since, $head] name (whose list membership may have moved).
MATCH (c:Change)
WHERE c.seq > $since AND c.seq <= $head
RETURN collect(DISTINCT c.subject_uid) AS uids
