// Upsert one batch of nodes of one kind. Each row: uid, hash (content hash of the record's
// properties), props (every property of the kind; nulls remove), source, source_ref.
// MERGE on the constrained key label; an unchanged record (same hash) is left untouched, loaded_at too.
UNWIND $rows AS row
MERGE (n:{{label}} {uid: row.uid})
WITH n, row, coalesce(n.content_hash = row.hash, false) AS same
FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
  SET n += row.props,
      n:{{second}}:{{third}},
      n.content_hash = row.hash,
      n.source = row.source,
      n.source_ref = row.source_ref,
      n.loaded_at = $loaded_at
)
RETURN sum(CASE WHEN same THEN 1 ELSE 0 END) AS unchanged, sum(CASE WHEN same THEN 0 ELSE 1 END) AS loaded
