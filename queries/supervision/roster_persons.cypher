// The graph's persons behind roster entries: by the uid the roster gives, else by the ID number.
UNWIND $rows AS row
OPTIONAL MATCH (p:Person)
WHERE p.uid = row.person_uid OR (row.person_uid IS NULL AND row.id_number IS NOT NULL AND p.id_number = row.id_number)
RETURN row.id AS id, collect(DISTINCT p.uid) AS uids
