"""Merges gained and lost by a change to linking, on one synthetic leak, against the truth.

A looser name model must not merge namesakes. This ingests one synthetic leak (made by the
current generator) twice — with the current code and with the code of a git revision (default
`HEAD`; e.g. the commit before a change) checked out into a temporary worktree — and compares
the record pairs each put into one person: pairs only the current code links ("gained") and
pairs only the other links ("lost"), each split into right (the truth says one person) and
wrong. It also prints each side's pairwise precision and recall.

Usage: python -m bench.linking_changes [--base REV] [--people 3000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).parent.parent

_DUMP = """
import json, sys
from pathlib import Path
from veracity.case import open_case
from veracity.ingest import SilentProgress, ingest
from veracity.store import open_store
case = open_case(Path(sys.argv[2]), create=True)
ingest(case, [Path(sys.argv[1])], workers=2, progress=SilentProgress())
store = open_store(case, migrate=False)
links = [(k.sha256, k.sheet, k.row, k.person_id) for k in store.iter_person_links()]
store.close()
Path(sys.argv[3]).write_text(json.dumps(links))
"""


def _partition(src: Path, leak: Path, case: Path, out: Path) -> dict[tuple[str, str, int], str]:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-c", _DUMP, str(leak), str(case), str(out)], check=True, env=env
    )
    return {(sha, sheet, int(row)): pid for sha, sheet, row, pid in json.loads(out.read_text())}


def _truth_pairs(leak: Path, truth_file: Path) -> dict[tuple[str, str, int], str]:
    """Record (sha256, sheet, row) -> the truth's person key."""
    import hashlib

    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    found = {}
    for record in truth["records"]:
        sha = hashlib.sha256((leak / record["path"]).read_bytes()).hexdigest()
        found[(sha, str(record["locator"]["sheet"]), int(record["locator"]["row"]))] = record[
            "person_key"
        ]
    return found


def _pairs(partition: dict[tuple[str, str, int], str]) -> set[tuple[tuple[str, str, int], ...]]:
    by_person: dict[str, list[tuple[str, str, int]]] = {}
    for record, person in partition.items():
        by_person.setdefault(person, []).append(record)
    return {tuple(sorted(pair)) for rs in by_person.values() for pair in combinations(rs, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="HEAD")
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from veracity.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory(prefix="veracity-bench-links-") as tmp:
        work = Path(tmp)
        result = generate(
            work / "leak", SynthConfig(seed=args.seed, people=args.people, photos=5, documents=2)
        )
        truth = _truth_pairs(work / "leak", result.truth_path)
        base = work / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base],
            check=True,
        )
        try:
            new = _partition(ROOT / "src", work / "leak", work / "new", work / "new.json")
            old = _partition(base / "src", work / "leak", work / "old", work / "old.json")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True
            )
        true_pairs = _pairs({r: p for r, p in truth.items()})
        print(f"synthetic leak: {args.people} people, seed {args.seed}, {len(truth)} records")
        for name, partition in (("current", new), (args.base, old)):
            found = _pairs({r: p for r, p in partition.items() if r in truth})
            right = len(found & true_pairs)
            print(
                f"  {name:<10} linked pairs {len(found):>6}  precision "
                f"{right / max(len(found), 1):.4f}  recall {right / max(len(true_pairs), 1):.4f}"
            )
        new_pairs, old_pairs = _pairs(new), _pairs(old)
        gained, lost = new_pairs - old_pairs, old_pairs - new_pairs
        for name, pairs in (("gained", gained), ("lost", lost)):
            right = sum(1 for a, b in pairs if truth.get(a) and truth.get(a) == truth.get(b))
            print(f"  merges {name} by the current code: {len(pairs)} ({right} right, "
                  f"{len(pairs) - right} wrong)")  # fmt: skip


if __name__ == "__main__":
    main()
