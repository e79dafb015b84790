// One load job as stored.
MATCH (j:{{job}} {uid: $uid})
RETURN j {.*} AS job
