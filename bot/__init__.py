"""Crosstalk: maps an online argument — reply structure, sides, key arguments, checked quotes."""

__version__ = "0.1.0"
