"""Search at scale: index build speed and query latency on 1,000,000 units, against ripgrep.

1. N mixed units are made straight from the synth generators, without ingest (which would
   measure extraction, not search): register rows of `synth.population` residents (45 %),
   Chinese document pages of `synth._texts` prose with the odd Uyghur or English line (30 %),
   English text naming Uyghur residents (10 %), persons with their names in every script (7 %)
   and photo metadata (8 %). They are indexed with the real code (`search.index.to_document`
   and a tantivy writer set up as `_Writer` sets it up), and the build is timed: units/s on
   the machine's cores. Target (issue 7): at least 10,000 units/s on 2 cores. Where the
   Python side of the build spends its time is printed beside it.
2. The same unit texts go to files for `rg` (one line per unit: uid, a tab, the text with its
   line breaks turned into spaces), a few hundred files.
3. Queries of five classes (1-, 2- and 4-character Chinese, English words, English phrases),
   several of each and of varied frequency, are compiled by `search.compile.compile_query` and
   run as `CaseSearch.search` runs them (`limit=20, count=True`, then the 20 hits' stored text
   and snippets; no facets). Median and p95 per class; targets: median < 20 ms, p95 < 100 ms.
   The same strings go to `rg -F -c` and `rg -F -l` (English with `-i -w`: the index folds
   case and matches words); the ratio is rg's median over ours (target at least 100x).
4. For every query, the set of units the index finds (all of them, not the first 20) is
   compared with the uids of the lines rg finds; any difference is printed.

Usage: python -m bench.search [--units 1000000] [--files 300] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psutil
import tantivy

from veracity.search.compile import compile_query
from veracity.search.index import _COMMIT_UNITS, _HEAP_BYTES, to_document
from veracity.search.schema import han_pairs, normalise, open_index
from veracity.search.searcher import PAGE, snippet
from veracity.search.units import Unit
from veracity.synth._common import SynthConfig, Truth
from veracity.synth._texts import (
    ENGLISH_LINES,
    FACILITIES,
    UYGHUR_LINES,
    Prose,
    cadre_name,
    zh_date,
)
from veracity.synth.population import COUNTIES, Person, generate_population

#: (class, query) pairs: frequent to rare, or absent, in each class
QUERIES: tuple[tuple[str, str], ...] = (
    ("zh 1 char", "教"),
    ("zh 1 char", "押"),
    ("zh 1 char", "喀"),
    ("zh 1 char", "锁"),
    ("zh 1 char", "疫"),
    ("zh 1 char", "鑫"),
    ("zh 2 chars", "工作"),
    ("zh 2 chars", "收押"),
    ("zh 2 chars", "喀什"),
    ("zh 2 chars", "脱逃"),
    ("zh 2 chars", "会见"),
    ("zh 2 chars", "鑫鑫"),
    ("zh 4 chars", "社会稳定"),
    ("zh 4 chars", "教培中心"),
    ("zh 4 chars", "阿卜杜热"),  # the start of many names: a mid-word substring
    ("zh 4 chars", "双人双锁"),
    ("zh 4 chars", "视频会见"),
    ("zh 4 chars", "一人一档"),
    ("en word", "detention"),
    ("en word", "statistics"),
    ("en word", "Konasheher"),
    ("en word", "camera"),
    ("en word", "relatives"),
    ("en word", "Xinjiang"),
    ("en phrase", "internal use only"),
    ("en phrase", "detained persons"),
    ("en phrase", "emergency response drill"),
    ("en phrase", "was taken to"),
    ("en phrase", "vocational skills"),
    ("en phrase", "last seen"),
)
MEDIAN_TARGET_MS, P95_TARGET_MS, RATIO_TARGET, BUILD_TARGET = 20.0, 100.0, 100.0, 10_000


# --- the units --------------------------------------------------------------------------------

_EN_TEMPLATES = (
    "{name} was taken to the {facility} in {county} on {day}, according to relatives.",
    "Relatives of {name} say he has not been heard from since {month}.",
    "The list names {name} of {village}, held for {reason}.",
    "Statistics of detained persons in {county}: {n} in detention, {m} released.",
    "{name} was last seen at a checkpoint near {village}.",
    "Interview notes: {name}, born {year}, detention confirmed by a former neighbour.",
    "Camera footage of the {facility} shows new buildings and a second wall.",
    "Vocational skills training, the official term, covers detention without trial.",
)
_EN_REASONS = ("praying", "travel abroad", "a phone app", "contact with relatives abroad",
               "wearing a veil", "an unknown reason")  # fmt: skip
_CAMERAS = (
    ("Canon", "Canon EOS 80D"),
    ("NIKON CORPORATION", "NIKON D7200"),
    ("HUAWEI", "HUAWEI P20"),
    ("Xiaomi", "Redmi Note 5"),
    ("Hikvision", "DS-2CD3T45"),
)


@dataclass(frozen=True)
class _Pools:
    people: list[Person]
    arabic: dict[str, str]  # Latin given name → Arabic script, where the name table has it


def _pools(units: int) -> _Pools:
    from veracity.people.names import load_names

    people = generate_population(SynthConfig(seed=7, people=max(200, units // 40)), Truth(7))
    arabic = {n.uly: n.arabic for n in load_names() if n.arabic}
    return _Pools(people, arabic)


def _latin(name: str) -> str:
    from veracity.people.names import fold_latin

    return fold_latin(name)


def _row(rng: random.Random, pools: _Pools, i: int) -> Unit:
    p = rng.choice(pools.people)
    cells = [str(i % 500 + 1), p.full_name_zh, p.id_number, p.sex, p.ethnicity,
             p.birth_date.isoformat(), p.address, p.status]  # fmt: skip
    dates = {"born": int(p.birth_date.strftime("%Y%m%d"))}
    if p.detention_start is not None:
        cells += [p.facility or "", p.detention_start.isoformat(), p.reason or ""]
        dates["detained"] = int(p.detention_start.strftime("%Y%m%d"))
    sheet = "在押人员名单" if p.detention_start else "Sheet1"
    unit = Unit(
        uid=f"r{i}", kind="row", body=" · ".join(c for c in cells if c), sha256=f"{i // 400:064x}",
        paths=(f"registers/{p.village}/{i // 400}.xlsx",), locator={"sheet": sheet, "row": i % 400},
        type="spreadsheet", lang="zh", dates=dates,
    )  # fmt: skip
    unit.fields.update(sheet=sheet, status=p.status, name=p.full_name_zh)
    return unit


def _page(rng: random.Random, pools: _Pools, i: int) -> Unit:
    county = rng.choice(COUNTIES).name_zh
    day = date(rng.choice((2017, 2018)), rng.randrange(1, 13), rng.randrange(1, 29))
    prose = Prose(rng, county, day)
    blocks: list[str] = []
    if rng.random() < 0.3:
        blocks.append(prose.fill(rng.choice(("关于{work}的通知", "{period}{work}工作情况报告"))))
    blocks += [prose.paragraph(*rng.sample(("situation", "require", "center", "stats"), 2))
               for _ in range(rng.randrange(1, 4))]  # fmt: skip
    if rng.random() < 0.15:
        named = rng.sample(pools.people, 3)
        blocks += [f"{n + 1} {p.full_name_zh} {p.id_number} {p.village} {p.status}"
                   for n, p in enumerate(named)]  # fmt: skip
    if rng.random() < 0.1:
        blocks.append(rng.choice(UYGHUR_LINES))
    if rng.random() < 0.1:
        blocks.append(rng.choice(ENGLISH_LINES))
    if rng.random() < 0.2:
        blocks += [cadre_name(rng), zh_date(day)]
    folder = rng.choice(("讲话", "通知", "报告", "演练"))
    return Unit(
        uid=f"d{i}", kind="page", body="\n".join(blocks), sha256=f"{i // 6:063x}d",
        paths=(f"documents/{folder}/{i // 6}.docx",), locator={"page": i % 6 + 1},
        type="document", lang="zh", year=day.year,
    )  # fmt: skip


def _english(rng: random.Random, pools: _Pools, i: int) -> Unit:
    lines = []
    for _ in range(rng.randrange(2, 6)):
        p = rng.choice(pools.people)
        day = date(2017, rng.randrange(1, 13), rng.randrange(1, 29))
        county = next(c for c in COUNTIES if c.name_zh in p.address)
        lines.append(rng.choice(_EN_TEMPLATES).format(
            name=f"{_latin(p.given_name_latin)} {_latin(p.father_name_latin)}",
            facility=rng.choice(("detention centre", "camp", "police station", "prison")),
            county=county.name_latin, day=day.strftime("%d %B %Y"),
            month=rng.choice(("March", "May", "October")) + " 2017", village="its village",
            reason=rng.choice(_EN_REASONS), n=rng.randrange(100, 3000), m=rng.randrange(5, 90),
            year=p.birth_date.year,
        ))  # fmt: skip
    if rng.random() < 0.2:
        lines.append(rng.choice(ENGLISH_LINES))
    return Unit(
        uid=f"e{i}", kind="block", body="\n".join(lines), sha256=f"{i:063x}e",
        paths=(f"mail/{i // 50}.eml",), type="email", lang="en",
    )  # fmt: skip


def _person(rng: random.Random, pools: _Pools, i: int) -> Unit:
    p = rng.choice(pools.people)
    names = [p.full_name_zh, f"{p.given_name_latin} {p.father_name_latin}"]
    names += [pools.arabic[n] for n in (p.given_name_latin, p.father_name_latin)
              if n in pools.arabic]  # fmt: skip
    unit = Unit(uid=f"p{i}", kind="person", body="\n".join([*names, p.id_number]),
                locator={"person": p.key}, type="person")  # fmt: skip
    unit.fields["name"] = " ".join(names)
    unit.dates["born"] = int(p.birth_date.strftime("%Y%m%d"))
    return unit


def _photo(rng: random.Random, pools: _Pools, i: int) -> Unit:
    make, model = rng.choice(_CAMERAS)
    taken = f"2018-{rng.randrange(1, 8):02d}-{rng.randrange(1, 29):02d}T10:{i % 60:02d}:00"
    lat, lon = 39.4 + rng.random() / 10, 75.8 + rng.random() / 10
    body = f"{make}\n{model}\n{taken}\nGPS {lat:.5f}, {lon:.5f}"
    unit = Unit(
        uid=f"i{i}", kind="photo", body=body, sha256=f"{i:063x}f",
        paths=(f"photos/{rng.choice(FACILITIES)}/{i}.jpg",), type="photo", year=2018,
        camera_model=model, dates={"taken": int(taken[:10].replace("-", ""))},
    )  # fmt: skip
    unit.fields["camera"] = f"{make} {model}"
    return unit


_KINDS: tuple[tuple[float, Callable[[random.Random, _Pools, int], Unit]], ...] = (
    (0.45, _row), (0.75, _page), (0.85, _english), (0.92, _person), (1.0, _photo),
)  # fmt: skip


def make_units(n: int, seed: int = 7) -> Iterator[Unit]:
    rng = random.Random(seed)
    pools = _pools(n)
    for i in range(n):
        roll = rng.random()
        make = next(f for share, f in _KINDS if roll < share)
        yield make(rng, pools, i)


# --- building ---------------------------------------------------------------------------------


def _line(unit: Unit) -> str:
    return unit.uid + "\t" + " ".join(unit.body.split("\n")) + "\n"


def write_files(units: list[Unit], folder: Path, files: int) -> int:
    """The units as rg reads them: one line each, `files` files; returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-len(units) // files)
    written = 0
    for k in range(0, len(units), per_file):
        data = "".join(_line(u) for u in units[k : k + per_file]).encode("utf-8")
        (folder / f"{k // per_file:04d}.txt").write_bytes(data)
        written += len(data)
    return written


def build(units: list[Unit], folder: Path) -> float:
    """Index the units as `update_index` does (commits every `_COMMIT_UNITS`); seconds taken."""
    index = open_index(folder)
    started = time.perf_counter()
    writer = index.writer(_HEAP_BYTES, 0)
    for k, unit in enumerate(units, 1):
        writer.add_document(to_document(unit))
        if k % _COMMIT_UNITS == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def profile(units: list[Unit]) -> dict[str, float]:
    """Microseconds per unit of each Python step of `to_document`, on a sample."""
    texts = [normalise(u.body) for u in units]
    steps: dict[str, Callable[[Unit, str], object]] = {
        "normalise": lambda u, t: normalise(u.body),
        "han_pairs": lambda u, t: han_pairs(t),
        "to_document (all)": lambda u, t: to_document(u),
    }
    out = {}
    for name, step in steps.items():
        started = time.perf_counter()
        for unit, text in zip(units, texts, strict=True):
            step(unit, text)
        out[name] = (time.perf_counter() - started) / len(units) * 1e6
    return out


# --- querying ---------------------------------------------------------------------------------


def _ms(spent: list[float]) -> tuple[float, float]:
    spent = sorted(spent)
    return statistics.median(spent), spent[max(int(len(spent) * 0.95 + 0.5) - 1, 0)]


def _pair_freq(searcher: tantivy.Searcher) -> Callable[[str], int]:
    """As `CaseSearch` gives the compiler: how many units hold a character pair."""
    return lambda pair: int(searcher.doc_freq("zh2", pair))


def search(searcher: tantivy.Searcher, query: str) -> int:
    """What `CaseSearch.search(query, limit=20, facets=False)` does; returns the total."""
    compiled, needles = compile_query(query, None, _pair_freq(searcher))
    found = searcher.search(compiled, limit=20, count=True)
    for _, address in found.hits:
        doc = searcher.doc(address)
        snippet(str(doc.get_first("shown") or ""), needles)
    return int(getattr(found, "count", 0) or 0)


def index_uids(searcher: tantivy.Searcher, query: str, total: int) -> set[str]:
    """Every unit the query finds (one search of `total` hits: no cap, as `iter_hits`)."""
    compiled, _ = compile_query(query, None, _pair_freq(searcher))
    found = searcher.search(compiled, limit=max(total, 1), count=False)
    return {str(searcher.doc(address).get_first("uid")) for _, address in found.hits}


def _rg_flags(kind: str) -> list[str]:
    return ["-i", "-w"] if kind.startswith("en") else []


def rg_uids(kind: str, query: str, folder: Path) -> set[str]:
    """The uids of the lines rg finds (its own regex engine, printing only the uid)."""
    literal = "".join("\\" + c if c in "\\.+*?()|[]{}^$#&-~" else c for c in query)
    if kind.startswith("en"):
        pattern = rf"(?i)^([^\t]+)\t.*\b{literal}\b"
    else:
        pattern = rf"^([^\t]+)\t.*{literal}"
    out = subprocess.run(
        ["rg", "--no-filename", "--no-line-number", "-o", "-r", "$1", pattern, str(folder)],
        capture_output=True, check=False,
    )  # fmt: skip
    return set(out.stdout.decode("utf-8").split())


def rg_time(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - started) * 1000


def _paged_seconds(searcher: tantivy.Searcher, query: str, page: int = PAGE) -> float:
    """Seconds to walk every hit as `CaseSearch.iter_hits` pages (offset, `page` at a time)."""
    compiled, _ = compile_query(query, None, _pair_freq(searcher))
    started, offset = time.perf_counter(), 0
    while True:
        found = searcher.search(compiled, limit=page, count=False, offset=offset)
        for _, address in found.hits:
            searcher.doc(address)
        if len(found.hits) < page:
            return time.perf_counter() - started
        offset += page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=300, help="files the rg copy is split in")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if shutil.which("rg") is None:
        raise SystemExit("bench/search.py needs ripgrep: apt-get install ripgrep")
    work = args.keep or Path(tempfile.mkdtemp(prefix="veracity-bench-search-"))
    try:
        _run(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> None:
    started = time.perf_counter()
    units = list(make_units(args.units))
    chars = sum(len(u.body) for u in units)
    rss = psutil.Process().memory_info().rss / 2**30
    print(f"made {len(units):,} units ({chars / 1e6:.0f} M characters) in "
          f"{time.perf_counter() - started:.0f} s, RSS {rss:.1f} GB")  # fmt: skip
    folder, text = work / "index", work / "text"
    shutil.rmtree(folder, ignore_errors=True)
    seconds = build(units, folder)
    size = sum(f.stat().st_size for f in folder.iterdir())
    rate = len(units) / seconds
    print(f"index build: {seconds:.1f} s, {rate:,.0f} units/s on {os.cpu_count()} cores "
          f"(target >= {BUILD_TARGET:,}) {'ok' if rate >= BUILD_TARGET else 'BELOW'}; "
          f"index {size / 2**30:.2f} GB")  # fmt: skip
    steps = profile(units[: min(len(units), 20_000)])
    alone = 1e6 / steps["to_document (all)"]
    print("  python per unit: " + ", ".join(f"{k} {v:.1f} us" for k, v in steps.items())
          + f" (= {alone:,.0f} units/s for to_document alone)")  # fmt: skip
    size = write_files(units, text, args.files)
    print(f"rg copy: {args.files} files, {size / 2**30:.2f} GB")
    del units
    index = open_index(folder)
    index.reload()
    searcher = index.searcher()
    subprocess.run(["rg", "-c", "-F", "zzzz", str(text)], stdout=subprocess.DEVNULL, check=False)
    _queries(searcher, text, args.runs)
    common = max(QUERIES[6:12], key=lambda q: search(searcher, q[1]))[1]
    total = search(searcher, common)
    print(f"every hit of {common!r} ({total:,}) paged {PAGE:,} at a time as iter_hits does: "
          f"{_paged_seconds(searcher, common):.1f} s")  # fmt: skip


def _queries(searcher: tantivy.Searcher, text: Path, runs: int) -> None:
    rows: dict[str, list[tuple[float, float, float]]] = {}
    diffs: list[str] = []
    print(f"{'class':<11} {'query':<26} {'hits':>8} {'ours ms':>8} {'rg -c ms':>9} "
          f"{'rg -l ms':>9} {'ratio':>7}  same hits")  # fmt: skip
    for kind, query in QUERIES:
        total = search(searcher, query)  # warm
        ours = [0.0] * runs
        for r in range(runs):
            t0 = time.perf_counter()
            search(searcher, query)
            ours[r] = (time.perf_counter() - t0) * 1000
        flags = ["rg", "-F", *_rg_flags(kind)]
        counted = [rg_time([*flags, "-c", query, str(text)]) for _ in range(max(runs // 2, 1))]
        listed = [rg_time([*flags, "-l", query, str(text)]) for _ in range(max(runs // 2, 1))]
        mine, theirs = index_uids(searcher, query, total), rg_uids(kind, query, text)
        same = "yes" if mine == theirs else f"NO: +{len(mine - theirs)} -{len(theirs - mine)}"
        if mine != theirs:
            diffs.append(f"  {query!r}: only index {sorted(mine - theirs)[:5]}, "
                         f"only rg {sorted(theirs - mine)[:5]}")  # fmt: skip
        med = statistics.median(ours)
        peer = min(statistics.median(counted), statistics.median(listed))
        if total:  # queries that find nothing answer in microseconds: left out of the stats
            rows.setdefault(kind, []).extend(
                (t, statistics.median(counted), statistics.median(listed)) for t in ours
            )
        print(f"{kind:<11} {query:<26} {total:>8,} {med:>8.2f} {statistics.median(counted):>9.0f} "
              f"{statistics.median(listed):>9.0f} {peer / med:>6.1f}x  {same}")  # fmt: skip
    print(
        "\nper class, queries with hits (ours: median / p95 over queries x runs; rg: medians; "
        "ok needs the ratio to the faster of -c and -l)"
    )
    for kind, samples in rows.items():
        median, p95 = _ms([t for t, _, _ in samples])
        by_count = statistics.median(c for _, c, _ in samples)
        by_file = statistics.median(f for _, _, f in samples)
        peer = min(by_count, by_file)
        ok = median < MEDIAN_TARGET_MS and p95 < P95_TARGET_MS and peer / median >= RATIO_TARGET
        print(f"{kind:<11} median {median:6.2f} ms  p95 {p95:6.2f} ms  rg -c {by_count:4.0f} ms  "
              f"-l {by_file:4.0f} ms  ratio -c {by_count / median:.1f}x, "
              f"-l {by_file / median:.1f}x  {'ok' if ok else 'MISSED'}")  # fmt: skip
    print(
        "hit sets differ:\n" + "\n".join(diffs) if diffs else "hit sets: identical for every query"
    )


if __name__ == "__main__":
    main()
