"""veracity: take a leaked dataset apart, prove whether it is authentic, find the people in it."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
