"""`veracity stats`: the case in figures, each counted the same way every time.

The database does the counting (store/_analyze.py); this module only shapes the grouped
results into the JSON a story quotes and computes what SQL cannot do portably: quartiles from
value counts, and township and village names parsed out of address text. Every figure here has
a rule in explain.py, so an editor can list the rows behind it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from veracity.analyze.basis import figure_basis
from veracity.analyze.status import CATEGORIES, load_table
from veracity.case import Case
from veracity.errors import CaseError
from veracity.people.regions import region
from veracity.store import LATEST_SCHEMA, Store, open_store

#: design.md: adults are persons aged 18 or more on this day
ADULT_ON = date(2018, 1, 1)
#: histogram bins (inclusive lower, inclusive upper; None: no upper bound)
AGE_BINS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))
SENTENCE_BINS = ((0, 12), (13, 36), (37, 60), (61, 120), (121, 180), (181, None))
_TOWNSHIP_END = re.compile(r"街道|乡|镇")
_ABOVE_TOWNSHIP = "省区州盟市县旗"


def adult_born_by(day: date = ADULT_ON) -> str:
    """The latest birth date of a person aged 18 on `day` (29 Feb births: 28 Feb counts)."""
    try:
        return day.replace(year=day.year - 18).isoformat()
    except ValueError:
        return day.replace(year=day.year - 18, day=28).isoformat()


def township_village(address: str) -> tuple[str | None, str | None]:
    """The township (…乡/镇/街道) and its village (township + …村) named in an address.

    The township is the text between the last county-or-higher division word (县, 市, 区, 州…)
    and the first 乡/镇/街道; the village runs from there to the next 村 and is named with its
    township, because village names ("3村", "阿克其村") repeat across townships.
    """
    match = _TOWNSHIP_END.search(address)
    if match is None:
        return None, None
    head = address[: match.end()]
    start = max(head.rfind(ch) for ch in _ABOVE_TOWNSHIP) + 1
    township = head[start:] or None
    rest = address[match.end() :]
    end = rest.find("村")
    village = f"{township}{rest[: end + 1]}" if township and 0 < end <= 20 else None
    return township, village


def quartiles(counts: Mapping[int, int]) -> dict[str, float] | None:
    """min, q1, median, q3, max of values given as value -> how often (None when empty).

    Quartiles interpolate linearly between order statistics (numpy's default, and Python's
    `statistics.quantiles(method="inclusive")`), so a reader can re-compute them in any tool.
    """
    items = sorted((v, n) for v, n in counts.items() if n > 0)
    total = sum(n for _, n in items)
    if not total:
        return None

    def nth(index: int) -> int:
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        return items[-1][0]

    def at(p: float) -> float:
        h = (total - 1) * p
        low = int(h)
        lo, hi = nth(low), nth(min(low + 1, total - 1))
        return round(lo + (h - low) * (hi - lo), 2)

    return {
        "min": items[0][0],
        "q1": at(0.25),
        "median": at(0.5),
        "q3": at(0.75),
        "max": items[-1][0],
    }


def bin_label(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


def histogram(
    counts: Mapping[int, int], bins: tuple[tuple[int, int | None], ...]
) -> dict[str, int]:
    """Counts of values summed into labelled bins ("18-24", "65+"); every bin is listed."""
    out = {bin_label(lo, hi): 0 for lo, hi in bins}
    for value, n in counts.items():
        for lo, hi in bins:
            if value >= lo and (hi is None or value <= hi):
                out[bin_label(lo, hi)] += n
                break
    return out


def compute_stats(case: Case) -> dict[str, Any]:
    """The case's figures in the shape design.md and issue 8 give `veracity stats --json`."""
    table = load_table(case.root)
    store = open_store(case, migrate=False)
    try:
        check_current(store)
        return _compute(store, table)
    finally:
        store.close()


def check_current(store: Store) -> None:
    """Refuse to count a case whose registers were read by an older veracity (no kinds of list
    yet): every figure would be wrong, not just old. An ingest brings it up to date."""
    if store.schema_version() < LATEST_SCHEMA or store.unclassified_records():
        raise CaseError(
            "this case's registers were read by an older veracity: run `veracity ingest` on "
            "its sources again to bring them up to date, then ask for the figures"
        )


def _compute(store: Store, table: Mapping[str, str]) -> dict[str, Any]:
    persons = store.person_counts(adult_born_by())
    share = persons["detained_adults"] / persons["adults"] if persons["adults"] else 0.0
    newest = store.newest_file_date()
    return {
        **store.content_counts(),
        "records": store.count_records(),
        "people": persons["people"],
        "people_in_any_list": persons["people_in_any_list"],
        "people_by_kind": store.people_by_kind(),
        "detained": {
            "total": persons["detained"],
            "by_year": store.detained_by_period(4),
            "by_month": store.detained_by_period(7),
        },
        "adults": persons["adults"],
        "detained_adults": persons["detained_adults"],
        "detained_adult_share": round(share, 6),
        "detained_adult_share_by_register": _shares(store),
        "status": _status(store, table),
        "detentions_by": _detentions_by(store),
        "age_at_detention": _ages(store),
        "sentences": _sentences(store),
        "photos_by": store.photo_counts(),
        "newest_file_date": newest,
        "excluded": store.excluded_counts(newest),
        "basis": figure_basis(store),
    }


def _shares(store: Store) -> list[dict[str, Any]]:
    """Detained adults / adults of each residents' register: one population each."""
    rows = store.population_counts(adult_born_by())
    paths = store.first_paths(sorted({r["sha256"] for r in rows}))
    out = []
    for row in rows:
        adults = row["adults"]
        out.append({
            "path": paths.get(row["sha256"], row["sha256"]),
            "sheet": row["sheet"],
            "persons": row["persons"],
            "adults": adults,
            "detained_adults": row["detained_adults"],
            "share": round(row["detained_adults"] / adults, 6) if adults else None,
        })  # fmt: skip
    return sorted(out, key=lambda r: (r["path"], r["sheet"]))


def _status(store: Store, table: Mapping[str, str]) -> dict[str, Any]:
    counts = store.status_counts(table)
    by_category = {c: counts["by_category"].get(c, 0) for c in CATEGORIES}
    by_category.update(
        {c: n for c, n in counts["by_category"].items() if c and c not in CATEGORIES}
    )
    by_value = {
        word: {"category": table[word], "persons": n}
        for word, n in sorted(counts["by_value"].items(), key=lambda kv: (-kv[1], kv[0]))
        if word in table
    }
    unknown = {w: n for w, n in sorted(counts["by_value"].items()) if w not in table}
    return {
        "by_category": by_category,
        "by_value": by_value,
        "unknown": unknown,
        "no_status": counts["no_status"][""],
    }


def county_name(code: str) -> str:
    """The county an ID region code names ("unknown" without a valid ID)."""
    if not code:
        return "unknown"
    found = region(code)
    return found.county if found is not None and found.county else code


def _by_count(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _detentions_by(store: Store) -> dict[str, dict[str, int]]:
    county: Counter[str] = Counter()
    for code, n in store.detained_regions().items():
        county[county_name(code)] += n
    township: Counter[str] = Counter()
    village: Counter[str] = Counter()
    seen_t: set[str] = set()
    seen_v: set[str] = set()
    for person_id, address in store.detained_addresses():
        # a person whose records give several addresses counts once, under the first parsed
        t, v = township_village(address)
        if t and person_id not in seen_t:
            seen_t.add(person_id)
            township[t] += 1
        if v and person_id not in seen_v:
            seen_v.add(person_id)
            village[v] += 1
    return {
        "county": _by_count(county),
        "township": _by_count(township),
        "village": _by_count(village),
        "place": _by_count(store.detained_places()),
    }


def _ages(store: Store) -> dict[str, Any]:
    by_sex_age = store.detention_ages()
    ages: Counter[int] = Counter()
    per_sex: dict[str, Counter[int]] = {}
    for (sex, age), n in by_sex_age.items():
        ages[age] += n
        per_sex.setdefault(sex or "unknown", Counter())[age] += n
    return {
        "count": sum(ages.values()),
        **(quartiles(ages) or {}),
        "histogram": {s: histogram(c, AGE_BINS) for s, c in sorted(per_sex.items())},
    }


def _sentences(store: Store) -> dict[str, Any]:
    by_reason_months = store.sentence_counts()
    months: Counter[int] = Counter()
    per_reason: dict[str, Counter[int]] = {}
    for (reason, m), n in by_reason_months.items():
        months[m] += n
        if reason:
            per_reason.setdefault(reason, Counter())[m] += n
    life = store.life_or_death_by_reason()
    reasons = {r for r in per_reason} | {r for r in life if r}
    by_reason = {}
    for reason in sorted(
        reasons, key=lambda r: (-sum(per_reason.get(r, Counter()).values()) - life.get(r, 0), r)
    ):
        counts = per_reason.get(reason, Counter())
        q = quartiles(counts) or {}
        by_reason[reason] = {
            "count": sum(counts.values()),
            "median_months": q.get("median"),
            "life_or_death": life.get(reason, 0),
        }
    return {
        "count": sum(months.values()),
        "months": quartiles(months) or {},
        "histogram": histogram(months, SENTENCE_BINS),
        "life_or_death": sum(life.values()),
        "by_reason": by_reason,
    }
