// Watchlists with a webhook and the member events after each one's delivery cursor (oldest first,
// at most $limit per list).
MATCH (w:Watchlist)
WHERE w.webhook IS NOT NULL
CALL (w) {
  UNWIND w.members AS member
  MATCH (c:Change {subject_uid: member})
  WHERE c.seq > w.delivered_seq
  RETURN c ORDER BY c.seq LIMIT $limit
}
WITH w, collect(c {.*}) AS changes
RETURN w.uid AS watchlist_uid, w.webhook AS webhook, changes
