"""Loaders: one reader per source format -> validated records -> batched upserts; a rejects file."""
