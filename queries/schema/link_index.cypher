// A range index named $name on one key of one relationship type (what a load changed is found by it).
CREATE INDEX $name IF NOT EXISTS FOR ()-[r:{{rel}}]-() ON (r.{{key}})
