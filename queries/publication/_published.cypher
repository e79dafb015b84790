// Fragment (inlined by graph/cypher.py): whether the record `v` is published on $on: its publication
// has started by then and has neither ended nor run its course (the one rule for the public view and lists).
v.published_from IS NOT NULL AND date(v.published_from) <= $on
AND date(coalesce(v.publication_ended_on, v.published_until)) > $on
