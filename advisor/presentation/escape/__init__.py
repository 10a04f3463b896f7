"""Escaping of untrusted text (scenario names, descriptions, YAML keys, file names, error
messages), one module per target format."""
