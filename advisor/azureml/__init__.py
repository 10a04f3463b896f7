"""Azure ML CLI v2 YAML: written from recommendations (emit), read back into facts (review)."""
