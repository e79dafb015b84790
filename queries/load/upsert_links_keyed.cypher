// Upsert one batch of links of one kind, MERGEd by (start, type, link_key, end): link_key is the discriminator
// and the period (loaders.rows.link_key), so a tie held twice on different dates is two links. Each row: i (its index in the
// batch), start_uid, end_uid, key, hash, props, source, source_ref. Rows whose endpoint is missing are
// written nowhere and returned in `missing` so the loader rejects them with that reason. A changed link keeps
// its previous hash and source in provenance_history.
UNWIND $rows AS row
OPTIONAL MATCH (a:{{start}} {uid: row.start_uid})
OPTIONAL MATCH (b:{{end}} {uid: row.end_uid})
WITH row, a, b, a IS NOT NULL AND b IS NOT NULL AS ok
CALL (row, a, b, ok) {
  WITH row, a, b WHERE ok
  MERGE (a)-[rec:{{rel}} {link_key: row.key}]->(b)
  WITH rec, row, coalesce(rec.content_hash = row.hash, false) AS same
  FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
    SET rec.provenance_history = CASE WHEN rec.content_hash IS NULL THEN null
          ELSE coalesce(rec.provenance_history, []) + [{{> load/_provenance_entry}}] END,
        rec += row.props,
        rec.content_hash = row.hash,
        rec.source = row.source,
        rec.source_ref = row.source_ref,
        rec.loaded_at = $loaded_at
  )
  RETURN collect(same) AS outcome
}
RETURN sum(CASE WHEN ok AND outcome[0] THEN 1 ELSE 0 END) AS unchanged,
       sum(CASE WHEN ok AND NOT outcome[0] THEN 1 ELSE 0 END) AS loaded,
       collect(CASE WHEN NOT ok THEN {i: row.i, start: a IS NOT NULL, end: b IS NOT NULL} END) AS missing
