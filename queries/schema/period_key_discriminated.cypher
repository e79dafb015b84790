// Migration 4: ties of one periodic kind told apart by a discriminator (role, relation) get the period
// after it in their `link_key`. A key already ending in the tie's period is left alone.
MATCH (:{{start}})-[r:{{rel}}]->(:{{end}})
WHERE NOT coalesce(r.link_key, '') ENDS WITH ('|' + {{> schema/_period}})
SET r.link_key = coalesce(r.link_key, 'unknown') + '|' + {{> schema/_period}}
