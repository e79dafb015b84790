// Which of the given uids are records, and which of those are published on $on: the public role sees
// the published ones only (with the ties that lead to them).
UNWIND $uids AS u
MATCH (v:Violation {uid: u})
RETURN collect(v.uid) AS records, collect(CASE WHEN {{> publication/_published}} THEN v.uid END) AS published
