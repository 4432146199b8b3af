"""The store's reads for finding people: names, ID prefixes, photos (migration 4).

`Store` inherits these methods; `people find`/`show` (people/search.py) read through them.
"""

from __future__ import annotations

from sqlalchemy import Engine


class PersonSearch:
    """Typed queries over `persons`, `person_records` and `person_photos` for search."""

    engine: Engine
