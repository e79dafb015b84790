// Set (or clear, when a row has no region_code) the region of the given subjects.
UNWIND $rows AS row
MATCH (s:Subject {uid: row.uid})
SET s.region_code = row.region_code, s.province = row.province, s.city = row.city, s.county = row.county
RETURN count(s) AS written
