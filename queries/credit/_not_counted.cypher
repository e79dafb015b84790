// Fragment (inlined by graph/cypher.py): why the record `v` does not count on $as_of (null: it counts),
// given `ends`, the day it stops counting (the `credit/_record_ends` fragment).
CASE
  WHEN date(v.decided_on) > $as_of THEN 'not yet decided on that date'
  WHEN coalesce(v.status, 'in_force') <> 'in_force' AND (v.ended_on IS NULL OR date(v.ended_on) <= $as_of)
    THEN coalesce(v.status, 'ended')
  WHEN ends <= $as_of THEN 'expired'
  WHEN v.suspended_since IS NOT NULL AND date(v.suspended_since) <= $as_of THEN 'suspended by a pending objection'
  ELSE null
END
