// A tie's period as it ends its `link_key`: since|until, `-` for an open end.
coalesce(toString(r.since), '-') + '|' + coalesce(toString(r.until), '-')
