"""Union-find over records that refuses links the evidence forbids (used by linking.py).

Two constraints hold through every union: a person never holds two different *trusted* IDs
(unless a user forced the merge), and two records a user split never end up together. Links
are offered strongest first (user merges, shared IDs, then pairs by falling probability), so a
weak link that would break a constraint is the one refused.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Clusters"]


class Clusters:
    """Disjoint sets of record indices with cannot-link constraints."""

    def __init__(self, ids: Sequence[str | None], apart: dict[int, set[int]]) -> None:
        self._parent = list(range(len(ids)))
        self._ids: dict[int, frozenset[str]] = {i: frozenset({v}) for i, v in enumerate(ids) if v}
        self._apart = apart  # record -> the records a user split from it
        self._guarded: dict[int, set[int]] = {i: {i} for i in apart}  # root -> its split records

    def find(self, i: int) -> int:
        parent = self._parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def _allowed(self, a: int, b: int, forced: bool) -> bool:
        if not forced:
            ids_a, ids_b = self._ids.get(a), self._ids.get(b)
            if ids_a and ids_b and ids_a != ids_b:
                return False
        small, big = sorted((a, b), key=lambda r: len(self._guarded.get(r, ())))
        for member in self._guarded.get(small, ()):
            if any(self.find(other) == big for other in self._apart[member]):
                return False
        return True

    def union(self, a: int, b: int, *, forced: bool = False) -> bool:
        """Join the sets of `a` and `b` unless a constraint forbids it; whether they are joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self._allowed(ra, rb, forced):
            return False
        if ra > rb:
            ra, rb = rb, ra  # the smaller index stays root: deterministic
        self._parent[rb] = ra
        ids = self._ids.pop(rb, frozenset()) | self._ids.get(ra, frozenset())
        if ids:
            self._ids[ra] = ids
        guarded = self._guarded.pop(rb, set())
        if guarded:
            self._guarded.setdefault(ra, set()).update(guarded)
        return True

    def groups(self) -> list[list[int]]:
        """The sets, each sorted, in order of their smallest member."""
        found: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            found.setdefault(self.find(i), []).append(i)
        return sorted(found.values(), key=lambda g: g[0])
