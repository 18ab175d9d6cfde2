"""Final Letters: the repository of adult social care peer challenge Final Letters."""

__version__ = "0.1.0"
