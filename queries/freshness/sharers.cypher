// The subjects sharing the given contact points, for points that chains could pass through before or
// after the load of $loaded_at (at most $skip_above sharers not counting the links that load wrote).
UNWIND $uids AS u
MATCH (cp {uid: u})<-[:{{contact_links}}]-(s:Subject)
WHERE COUNT { (cp)<-[c:{{contact_links}}]-() WHERE c.loaded_at IS NULL OR c.loaded_at <> $loaded_at }
  <= $skip_above
RETURN DISTINCT u AS point, s.uid AS uid
