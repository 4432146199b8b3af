"""Verification: one module per authenticity check, run over the whole case."""

from __future__ import annotations

from veracity.verify.base import Check, Finding
from veracity.verify.runner import run_checks, select_checks
from veracity.verify.view import CaseView, FileView, RecordView

__all__ = [
    "CaseView",
    "Check",
    "FileView",
    "Finding",
    "RecordView",
    "run_checks",
    "select_checks",
]
