// Fragment (inlined by graph/cypher.py): whether the record `v` counts on $as_of:
// decided by then, not expired, not ended (revoked, repaired) by then, not suspended by an objection.
date(v.decided_on) <= $as_of
AND {{> credit/_record_ends}} > $as_of
AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of)
