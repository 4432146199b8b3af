"""The store's person tables: linked persons, their records, users' decisions (migration 4).

`Store` inherits these methods; linking (people/linking.py) writes them.
"""

from __future__ import annotations

from sqlalchemy import Engine


class PersonTables:
    """Typed reads and writes of `persons`, `person_records` and `person_decisions`."""

    engine: Engine
