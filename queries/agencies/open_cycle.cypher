// The node of an agency cycle (one per period), made when first evaluated.
MERGE (c:AgencyCycle {uid: $uid})
  ON CREATE SET c.period = $period, c.created_at = $now
SET c.collection_from = $collection_from, c.collection_to = $collection_to
RETURN c.uid AS uid
