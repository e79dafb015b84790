// Record one write done through the API: who (a role and key hash, never the key), when, what and on what.
CREATE (e:AuditEvent {uid: $uid, actor: $actor, action: $action, target: $target, detail: $detail,
                      created_at: datetime(), source: 'api'})
RETURN e.uid AS uid
