// Move a load job on: running (started_at set once), then done or failed with its summary or error.
MATCH (j:{{job}} {uid: $uid})
SET j.state = $state,
    j.summary = coalesce($summary, j.summary),
    j.error = coalesce($error, j.error),
    j.updated_at = datetime(),
    j.started_at = CASE WHEN $state = 'running' THEN coalesce(j.started_at, datetime()) ELSE j.started_at END,
    j.finished_at = CASE WHEN $state IN ['done', 'failed'] THEN datetime() ELSE j.finished_at END
RETURN j.uid AS uid
