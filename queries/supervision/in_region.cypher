// Of the given uids, the subjects in the region (a division-code prefix): what a region-scoped key may see.
UNWIND $uids AS uid
MATCH (s:Subject {uid: uid})
WHERE coalesce(s.region_code, '') STARTS WITH $region
RETURN collect(s.uid) AS uids
