"""advisor: decision support for Azure Machine Learning architecture choices."""

__version__ = "0.1.0"
VERSION_FLAGS = ("--version", "-V")  # answered by advisor/__main__.py before the CLI loads
