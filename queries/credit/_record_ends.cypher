// Fragment (inlined by graph/cypher.py): the day the record `v` stops counting: its own
// expiry, else its decision day plus the months its behaviour stays in force ($months: behaviour code
// -> months, $default_months for a code not in the catalogue).
coalesce(date(v.expires_on),
         date(v.decided_on) + duration({months: coalesce($months[v.behaviour_code], $default_months)}))
