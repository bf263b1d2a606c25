"""The distribution version, read by the build backend too."""

__version__ = "0.1.0"
"""This distribution's version."""
