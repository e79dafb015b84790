// Migration 4: ties of one periodic kind with no discriminator, loaded before periods were part of
// their key, get the period as their `link_key`. Ties already keyed are left alone.
MATCH (:{{start}})-[r:{{rel}}]->(:{{end}})
WHERE r.link_key IS NULL
SET r.link_key = {{> schema/_period}}
