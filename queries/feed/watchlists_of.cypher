// The watchlists one owner made, newest first.
MATCH (w:Watchlist {owner: $owner})
RETURN w {.*} AS watchlist
ORDER BY w.created_at DESC, w.uid
