"""Traza: co-create, follow and assess Open Government Partnership action plans."""

__version__ = "0.1.0"
