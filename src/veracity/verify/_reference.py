"""The `--reference` folder, read as safely as the leak: ingested into a sidecar case.

Earlier published material is as untrusted as the leak (a PDF from a website can be hostile),
so it goes through the same pipeline — sandboxed workers, limits, failures recorded — into its
own case under `CASE/derived/reference/`. The ingest is incremental, so a re-run only reads
what changed; the sidecar always uses its own SQLite file, never the leak's database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from veracity.case import Case, open_case
from veracity.ingest import SilentProgress, ingest
from veracity.store import Store, open_store
from veracity.verify.view import CaseView


@dataclass(frozen=True)
class _SidecarCase(Case):
    """A case whose database is its own SQLite file even when the leak's is PostgreSQL."""

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.db_path}"


@contextmanager
def reference_view(view: CaseView) -> Iterator[CaseView]:
    """A view of the reference folder (given as `--reference`), ingested first if needed."""
    folder = Path(view.options["reference"])
    opened = open_case(view.case.derived_dir / "reference", create=True)
    sidecar = _SidecarCase(root=opened.root, limits=view.case.limits)
    ingest(sidecar, [folder], workers=2, progress=SilentProgress())
    store: Store = open_store(sidecar, migrate=False)
    try:
        yield CaseView(sidecar, store)
    finally:
        store.close()
