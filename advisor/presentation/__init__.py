"""The presentation layer: result objects in, text out (terminal, JSON, Markdown, HTML,
JUnit, SVG, Mermaid). One module per result type, in the manner of conftest's `output/`;
`escape/` holds one module per target format. Nothing here reads files or parses options:
the CLI calls these functions and writes what they return."""
