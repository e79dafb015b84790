// Change events after sequence number $since, oldest first, at most $limit.
MATCH (c:Change)
WHERE c.seq > $since
RETURN c {.*} AS change
ORDER BY c.seq
LIMIT $limit
