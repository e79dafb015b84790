// The registry facts a credit report shows about one subject, each with its provenance (the source,
// source_ref and loaded_at of the tie that states it, and the party's own under `node`): legal
// representatives, shareholders (with their share), officers, addresses, the agencies it works for and the
// agencies that filed its rights (with how many).
MATCH (s:Subject {uid: $uid})
CALL (s) {
  OPTIONAL MATCH (p:Subject)-[t:LEGAL_REP_OF]->(s)
  WITH p, t ORDER BY p.name, p.uid
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {uid: p.uid, name: p.name, labels: labels(p),
    node: {source: p.source, source_ref: p.source_ref, loaded_at: p.loaded_at},
    source: t.source, source_ref: t.source_ref, loaded_at: t.loaded_at} END) AS legal_reps
}
CALL (s) {
  OPTIONAL MATCH (h:Subject)-[t:SHAREHOLDER_OF]->(s)
  WITH h, t ORDER BY coalesce(t.ratio, -1) DESC, h.name, h.uid
  RETURN collect(CASE WHEN h IS NULL THEN null ELSE {uid: h.uid, name: h.name, labels: labels(h), ratio: t.ratio,
    node: {source: h.source, source_ref: h.source_ref, loaded_at: h.loaded_at},
    source: t.source, source_ref: t.source_ref, loaded_at: t.loaded_at} END) AS shareholders
}
CALL (s) {
  OPTIONAL MATCH (o:Subject)-[t:OFFICER_OF]->(s)
  WITH o, t ORDER BY o.name, o.uid
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {uid: o.uid, name: o.name, labels: labels(o), role: t.role,
    node: {source: o.source, source_ref: o.source_ref, loaded_at: o.loaded_at},
    source: t.source, source_ref: t.source_ref, loaded_at: t.loaded_at} END) AS officers
}
CALL (s) {
  OPTIONAL MATCH (s)-[t:LOCATED_AT]->(a:Address)
  WITH a, t ORDER BY a.value, a.uid
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {uid: a.uid, value: a.value, labels: labels(a),
    node: {source: a.source, source_ref: a.source_ref, loaded_at: a.loaded_at},
    source: t.source, source_ref: t.source_ref, loaded_at: t.loaded_at} END) AS located_at
}
CALL (s) {
  OPTIONAL MATCH (s)-[t:AGENT_OF]->(g:Subject)
  WITH g, t ORDER BY g.name, g.uid
  RETURN collect(CASE WHEN g IS NULL THEN null ELSE {uid: g.uid, name: g.name, labels: labels(g),
    node: {source: g.source, source_ref: g.source_ref, loaded_at: g.loaded_at},
    source: t.source, source_ref: t.source_ref, loaded_at: t.loaded_at} END) AS agent_of
}
CALL (s) {
  OPTIONAL MATCH (s)-[:APPLICANT_OF]->(r)<-[t:REPRESENTS]-(g:Agency)
  WITH g, count(DISTINCT r) AS rights, min(t.source_ref) AS source_ref, max(t.loaded_at) AS loaded_at,
       min(t.source) AS source
  WITH g, rights, source, source_ref, loaded_at ORDER BY rights DESC, g.name, g.uid
  RETURN collect(CASE WHEN g IS NULL THEN null ELSE {uid: g.uid, name: g.name, labels: labels(g), rights: rights,
    node: {source: g.source, source_ref: g.source_ref, loaded_at: g.loaded_at},
    source: source, source_ref: source_ref, loaded_at: loaded_at} END) AS filing_agencies
}
RETURN s.source AS source, s.source_ref AS source_ref, s.loaded_at AS loaded_at,
       legal_reps, shareholders, officers, located_at, agent_of, filing_agencies
