// One delivery attempt of one event to a watchlist's webhook; on success the list's cursor moves past it
// (so an event is retried until delivered: at least once).
MATCH (w:Watchlist {uid: $watchlist_uid})
CREATE (d:Delivery {watchlist_uid: $watchlist_uid, event_id: $event_id, seq: $seq, attempt: $attempt,
                    status: $status, error: $error, at: $now})
FOREACH (_ IN CASE WHEN $status = 'delivered' AND w.delivered_seq < $seq THEN [1] ELSE [] END |
  SET w.delivered_seq = $seq)
