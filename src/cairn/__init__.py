"""Cairn: a skills and micro-credential ecosystem."""

__version__ = "0.1.0"
