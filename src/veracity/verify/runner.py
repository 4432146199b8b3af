"""Running checks: each one's findings replace its earlier ones; one odd check stops nothing."""

from __future__ import annotations

import logging
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from veracity.case import Case
from veracity.errors import UsageError
from veracity.store import open_store
from veracity.verify import registry
from veracity.verify.base import OPTION_NEEDS, Check
from veracity.verify.view import CaseView

log = logging.getLogger(__name__)


def select_checks(names: Sequence[str] = ()) -> list[type[Check]]:
    known = {c.NAME: c for c in registry.CHECKS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"unknown check(s): {', '.join(unknown)} (known: {', '.join(known)})")
    return [known[n] for n in names] if names else list(registry.CHECKS)


def run_checks(
    case: Case, names: Sequence[str] = (), options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run the checks over the case and store their findings; returns a summary per check."""
    store = open_store(case)
    view = CaseView(case, store, options)
    summary: dict[str, Any] = {}
    try:
        for cls in select_checks(names):
            started = time.monotonic()
            missing = sorted(n for n in cls.NEEDS if not view.has(n))
            if missing:
                store.replace_findings(cls.NAME, [])
                summary[cls.NAME] = {"skipped": _why_skipped(missing)}
                continue
            try:
                findings = list(cls().run(view))
            except UsageError:
                raise  # the user's input (e.g. a malformed --sites file): one line, exit 2
            except Exception as exc:  # recorded, never fatal: the other checks still run
                log.warning("check %s failed:\n%s", cls.NAME, traceback.format_exc())
                summary[cls.NAME] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            store.replace_findings(cls.NAME, (asdict(f) for f in findings))
            severities: Counter[str] = Counter(f.severity for f in findings)
            summary[cls.NAME] = {
                "findings": len(findings),
                **{k: severities[k] for k in ("critical", "warning", "info") if severities[k]},
                "seconds": round(time.monotonic() - started, 3),
            }
    finally:
        store.close()
    return summary


def _why_skipped(missing: list[str]) -> str:
    """Options not given are asked for by name; anything else the case simply lacks."""
    asked = [f"--{n} was not given" for n in missing if n in OPTION_NEEDS]
    lacking = [n for n in missing if n not in OPTION_NEEDS]
    parts = asked + ([f"the case has no {', '.join(lacking)}"] if lacking else [])
    return "; ".join(parts)
