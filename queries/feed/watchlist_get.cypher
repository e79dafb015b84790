// One watchlist, only for its owner (no row otherwise: another key's list is not found).
MATCH (w:Watchlist {uid: $uid, owner: $owner})
RETURN w {.*} AS watchlist
