// Fragment (inlined by graph/cypher.py): one provenance_history entry of the record `rec` (a node or a link) as it was
// before a changed load rewrote it: its content hash, source, source_ref and loaded_at.
'content_hash=' + rec.content_hash + ' source=' + coalesce(rec.source, '') + ' source_ref=' + coalesce(rec.source_ref, '') + ' loaded_at=' + toString(rec.loaded_at)
