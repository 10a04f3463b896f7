"""Renderers of evaluation results: each returns text (or rich Text); none prints."""
