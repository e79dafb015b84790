// A range index named $name on one key of one label, for lookups that are not by uid.
CREATE INDEX $name IF NOT EXISTS FOR (n:{{label}}) ON (n.{{key}})
