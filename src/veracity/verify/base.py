"""The check interface: one class per check, which reads the case and yields findings.

A check declares its `SCOPE` (one file or row at a time, or the whole collection) and what it
`NEEDS` from the case (`records`, `images`, `documents`, `pdfs`, `persons`) or from the command
line (`reference`, `sites`: `view.options[...]` is then a `Path`); the runner skips a check,
with a note, when the case has none of it or the option was not given. A check never raises
over one odd file: a value it cannot read is a reason to say nothing, not to stop. Its
docstring says what it detects, why that suggests tampering, and its known false positives.

Severity means something: `warning` and `critical` are for what an editor must look at;
corroborating or merely descriptive findings are `info`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from veracity.types import Locator, Severity

if TYPE_CHECKING:
    from veracity.verify.view import CaseView

Scope = Literal["file", "collection"]

#: needs met by a command-line option (`veracity verify --reference DIR --sites FILE`)
OPTION_NEEDS = frozenset({"reference", "sites"})


@dataclass(frozen=True)
class Finding:
    """One thing a check found, in design.md's fields."""

    check: str
    severity: Severity
    path: str | None
    locator: Locator
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


class Check:
    """Base class; subclasses declare NAME, SCOPE, NEEDS and implement `run`."""

    NAME: ClassVar[str]  # = the module name = the `check` field; never changes once shipped
    SCOPE: ClassVar[Scope] = "file"
    NEEDS: ClassVar[frozenset[str]] = frozenset()

    def run(self, view: CaseView) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        severity: Severity,
        path: str | None,
        locator: Locator,
        message: str,
        **evidence: Any,
    ) -> Finding:
        return Finding(self.NAME, severity, path, locator, message, evidence)
