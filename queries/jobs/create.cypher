// Record a server-side load as queued, with what it will read and who asked for it.
CREATE (j:{{job}} {uid: $uid, state: 'queued', format: $format, paths: $paths, actor: $actor,
                   rejects_file: $rejects_file, created_at: datetime(), source: 'api'})
RETURN j.uid AS uid
