"""The repository's hostile-input corpus and the in-process CLI harness that runs it."""
