"""Type aliases shared across stages."""

from __future__ import annotations

from typing import Any, Literal

Severity = Literal["info", "warning", "critical"]
#: `{"sheet": str, "row": int}`, `{"page": int}`, `{"slide": int}` or None (design.md).
Locator = dict[str, Any] | None
JSONObject = dict[str, Any]
