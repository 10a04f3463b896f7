"""advisor: decision support for Azure Machine Learning architecture choices."""

__version__ = "0.1.0"
VERSION_FLAGS = ("--version", "-V")  # answered by advisor/__main__.py before the CLI loads
__all__ = ["consult"]


def consult(facts_or_path=None, /, **options):
    """Consult the advisor from Python: a mapping of facts, a scenario file or a shipped
    scenario's name in; the typed report out (recommendations, warnings, open, why(decision),
    to_yaml(), render(format); shown as HTML in Jupyter). See advisor/api.py."""
    from advisor.api import consult as run  # imported here: `import advisor` stays cheap

    return run(facts_or_path, **options)
