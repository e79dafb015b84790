// Take the write lock on an applied measure before feedback is recorded on it, and read it.
MATCH (m:AppliedMeasure {uid: $uid})
SET m.workflow_version = coalesce(m.workflow_version, 0) + 1
RETURN m.uid AS uid, m.department AS department, m.subject_uid AS subject_uid
