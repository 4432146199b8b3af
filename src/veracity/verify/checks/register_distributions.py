"""register_distributions: per register, birth years, sexes, sequence numbers and region codes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from veracity.store import COUNTED_KINDS
from veracity.verify.base import Check, Finding
from veracity.verify.checks.register_region import County, is_outside, register_county, registers
from veracity.verify.view import CaseView, RecordView

#: below this many readable IDs a register is only described: too few rows to judge
MIN_ROWS = 20
#: a statistic this improbable for a real register makes it a warning (one in a million)
MAX_P = 1e-6
#: the minority sex below this share, with MAX_P, is "all one sex"
MIN_SEX_SHARE = 0.05
#: one birth year holding more than this share of the rows is a fabricated or copied age
MAX_YEAR_SHARE = 0.6
#: fewer than this share of IDs from the register's own county is a register of strangers
MIN_OWN_SHARE = 0.25
#: the sequence numbers 000-999 are counted in this many bins of 100 for the chi-square test
SEQUENCE_BINS = 10


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for chi-square with `df` degrees of freedom (exact series, no SciPy needed)."""
    if x <= 0:
        return 1.0
    half = x / 2
    # the series starts from the 2- or 1-degree tail and adds one term per 2 degrees
    total, k = (math.exp(-half), 2) if df % 2 == 0 else (math.erfc(math.sqrt(half)), 1)
    while k < df:
        total += math.exp((k / 2) * math.log(half) - half - math.lgamma(k / 2 + 1))
        k += 2
    return min(1.0, total)


def binomial_two_sided(minority: int, n: int) -> float:
    """P of a split at least as lopsided as `minority` of `n` with a fair coin (two-sided)."""
    log_half = n * math.log(0.5)
    tail = sum(
        math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + log_half)
        for k in range(minority + 1)
    )
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class _Stats:
    """One register's distributions and the tests run on them."""

    rows: int
    birth_years: dict[int, int]
    sexes: dict[str, int]
    sequence_bins: list[int]
    consecutive_pairs: int  # rows whose sequence number is the previous row's plus one or two
    region_codes: dict[str, int]
    sequence_chi2: float
    sequence_p: float
    sex_p: float
    top_year_share: float
    own_county_share: float | None


def _stats(rows: list[RecordView], county: County | None) -> _Stats:
    sequences = [int(r.record.id_number[14:17]) for r in rows if r.record.id_number]
    n = len(sequences)
    bins = [0] * SEQUENCE_BINS
    for value in sequences:
        bins[value * SEQUENCE_BINS // 1000] += 1
    expected = n / SEQUENCE_BINS
    chi2 = sum((b - expected) ** 2 / expected for b in bins) if n else 0.0
    sexes = Counter(r.record.id_sex for r in rows if r.record.id_sex)
    years = Counter(int(r.record.id_birth_date[:4]) for r in rows if r.record.id_birth_date)
    codes = Counter(r.record.id_region for r in rows if r.record.id_region)
    own = (
        sum(c for code, c in codes.items() if not is_outside(code, county)) / sum(codes.values())
        if county is not None and codes
        else None
    )
    return _Stats(
        rows=n,
        birth_years=dict(sorted(years.items())),
        sexes=dict(sexes),
        sequence_bins=bins,
        consecutive_pairs=sum(1 for a, b in pairwise(sequences) if 1 <= b - a <= 2),
        region_codes=dict(codes.most_common()),
        sequence_chi2=round(chi2, 2),
        sequence_p=chi2_sf(chi2, SEQUENCE_BINS - 1),
        sex_p=binomial_two_sided(min(sexes["男"], sexes["女"]), sexes.total()),
        top_year_share=max(years.values()) / sum(years.values()) if years else 0.0,
        own_county_share=own,
    )


def _problems(s: _Stats, population: bool) -> list[str]:
    """What makes a register implausible, in plain words (empty: nothing). The sex, birth year
    and county tests assume a list of residents or detainees (`population`); a staff roster is
    mostly men from elsewhere, a school list one age, so only the sequence test judges those."""
    if s.rows < MIN_ROWS:
        return []
    out = []
    if s.sequence_p < MAX_P:
        out.append(
            f"sequence numbers are not spread over 000-999 (chi-square p={s.sequence_p:.1e})"
        )
    if not population:
        return out
    minority = min(s.sexes.get("男", 0), s.sexes.get("女", 0))
    if minority / s.rows < MIN_SEX_SHARE and s.sex_p < MAX_P:
        out.append(f"almost all IDs are of one sex ({s.sexes}, p={s.sex_p:.1e})")
    if s.top_year_share > MAX_YEAR_SHARE:
        out.append(f"{s.top_year_share:.0%} of the rows share one birth year")
    if s.own_county_share is not None and s.own_county_share < MIN_OWN_SHARE:
        out.append(f"only {s.own_county_share:.0%} of the IDs come from the register's county")
    return out


class RegisterDistributions(Check):
    """Per register: the distributions of birth years, sexes (ID sex digit), ID sequence
    numbers and region codes, with a warning when together they are statistically implausible.

    Real IDs' 3-digit sequence numbers spread over 000-999, half the people are men, ages
    spread over decades and most IDs carry the register's own county. A forger writing many
    numbers tends to use small, sequential or repeated sequence numbers, one sex, one birth
    year or random counties (`warning`, only at one-in-a-million improbability and from
    20 rows); every other register is described (`info`) so the report can show its
    histograms. Known false positives: lists of one sex or one age by design (a women's
    facility, a school class) and lists of people from elsewhere (a checkpoint's list); staff
    rosters, school and other lists (`register_kinds`) are judged on their sequence numbers
    only.
    """

    NAME = "register_distributions"
    SCOPE = "collection"
    NEEDS = frozenset({"records"})

    def run(self, view: CaseView) -> Iterator[Finding]:
        for path, rows in registers(view):
            readable = [r for r in rows if r.record.id_status in ("valid", "bad_check")]
            if not readable:
                continue
            county, source = register_county(path, rows)
            stats = _stats(readable, county)
            kind = rows[0].record.register_kind
            problems = _problems(stats, kind in COUNTED_KINDS)
            summary = "; ".join(problems) or "nothing implausible"
            yield self.finding(
                "warning" if problems else "info",
                path,
                None,
                f"register of {stats.rows} readable IDs: {summary}",
                register_county=county.name if county is not None else None,
                register_kind=kind,
                county_from=source,
                problems=problems,
                **_evidence(stats),
            )


def _evidence(s: _Stats) -> dict[str, Any]:
    return {
        "rows": s.rows,
        "birth_years": s.birth_years,
        "sexes": s.sexes,
        "sex_p": s.sex_p,
        "sequence_bins": s.sequence_bins,
        "sequence_chi2": s.sequence_chi2,
        "sequence_p": s.sequence_p,
        "consecutive_pairs": s.consecutive_pairs,
        "top_year_share": round(s.top_year_share, 3),
        "region_codes": s.region_codes,
        "own_county_share": None if s.own_county_share is None else round(s.own_county_share, 3),
    }
