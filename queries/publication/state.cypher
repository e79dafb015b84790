// One record's publication state (staff view), or nothing for an unknown record.
MATCH (v:Violation {uid: $uid})
RETURN v.uid AS uid, v.published_from AS published_from, v.published_until AS published_until,
  v.publication_ended_on AS ended_on, v.publication_end_reason AS end_reason
