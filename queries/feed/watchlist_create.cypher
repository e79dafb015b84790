// A new watchlist owned by $owner (the API key's identifier), its members kept as a list of uids.
CREATE (w:Watchlist {uid: $uid})
SET w.name = $name, w.owner = $owner, w.members = $members, w.webhook = $webhook, w.created_at = $now,
    w.delivered_seq = $head
RETURN w {.*} AS watchlist
