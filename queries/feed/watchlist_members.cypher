// Add ($add) and remove ($remove) members of one owner's watchlist; members stay unique, in order.
MATCH (w:Watchlist {uid: $uid, owner: $owner})
WITH w, [m IN w.members WHERE NOT m IN $remove] AS kept
SET w.members = kept + reduce(acc = [], m IN $add | CASE WHEN m IN kept OR m IN acc THEN acc ELSE acc + m END)
RETURN w {.*} AS watchlist
