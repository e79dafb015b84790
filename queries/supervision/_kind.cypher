// The kind of subject `s`, as the supervision rules and statistics name kinds.
CASE WHEN s:Agency THEN 'agency' WHEN s:Agent THEN 'agent' WHEN s:Company THEN 'company' WHEN s:Person THEN 'person' ELSE 'other' END
