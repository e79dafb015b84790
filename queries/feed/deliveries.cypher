// The delivery log of one owner's watchlist, newest first.
MATCH (w:Watchlist {uid: $uid, owner: $owner})
MATCH (d:Delivery {watchlist_uid: w.uid})
RETURN d {.*} AS delivery
ORDER BY d.at DESC
LIMIT $limit
