"""Renderers: turn report data into text for people (rich, Markdown) or machines (JSON)."""
