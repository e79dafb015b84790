// Upsert one batch of nodes of one kind. Each row: uid, hash (content hash of the record's
// properties), props (every property of the kind; nulls remove), source, source_ref, name_keyed and,
// for a name-keyed subject, others (props without the names) and norms (spelling -> normalised form);
// if_absent: a subject only named by a record, left untouched when it exists.
// MERGE on the constrained key label; an unchanged record (same hash) is left untouched, loaded_at too.
// A changed record keeps its previous hash and source in provenance_history. A name-keyed subject that
// exists keeps its name (the first seen); the row's other spellings join its aliases.
UNWIND $rows AS row
MERGE (rec:{{label}} {uid: row.uid})
WITH rec, row, rec.content_hash IS NULL AS new
WITH rec, row, new, row.name_keyed AND NOT new AS merging
WITH rec, row, new, merging,
     CASE WHEN merging
          THEN [a IN [row.props.name] + coalesce(row.props.aliases, []) WHERE a <> rec.name AND NOT a IN coalesce(rec.aliases, [])]
          ELSE [] END AS added,
     coalesce(rec.content_hash = row.hash, false) OR (coalesce(row.if_absent, false) AND NOT new) AS same_content
WITH rec, row, new, merging, added, same_content, same_content AND size(added) = 0 AS same
FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
  SET rec.provenance_history = CASE WHEN new OR same_content THEN rec.provenance_history
        ELSE coalesce(rec.provenance_history, []) + [{{> load/_provenance_entry}}] END,
      rec += CASE WHEN merging THEN row.others ELSE row.props END,
      rec:{{second}}:{{third}},
      rec.content_hash = row.hash,
      rec.source = row.source,
      rec.source_ref = row.source_ref,
      rec.loaded_at = $loaded_at
)
FOREACH (a IN added |
  SET rec.aliases = coalesce(rec.aliases, []) + a,
      rec.aliases_norm = CASE WHEN row.norms[a] IN coalesce(rec.aliases_norm, []) THEN rec.aliases_norm
                            ELSE coalesce(rec.aliases_norm, []) + row.norms[a] END
)
RETURN sum(CASE WHEN same THEN 1 ELSE 0 END) AS unchanged, sum(CASE WHEN same THEN 0 ELSE 1 END) AS loaded
