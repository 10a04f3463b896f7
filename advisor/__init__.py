"""advisor: decision support for Azure Machine Learning architecture choices."""

__version__ = "0.1.0"
