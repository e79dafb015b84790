// Change events of one owner's watchlist members after $since, oldest first, at most $limit: level
// changes, new records of members and new chains reaching them.
MATCH (w:Watchlist {uid: $uid, owner: $owner})
UNWIND w.members AS member
MATCH (c:Change {subject_uid: member})
WHERE c.seq > $since
RETURN c {.*} AS change
ORDER BY c.seq
LIMIT $limit
