"""The presentation layer: result objects in, text out. One module per result type or format;
nothing here reads files or parses options."""
