// Fragment (inlined by graph/cypher.py): whether the tie `t` is in force on $as_of: begun by then (no
// `since`: from the start) and not ended by then (no `until`: open). A tie held several times between
// the same parties (its periods told apart by `link_key`) counts on each period's own dates.
(t.since IS NULL OR date(t.since) <= $as_of) AND (t.until IS NULL OR date(t.until) > $as_of)
