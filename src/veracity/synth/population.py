"""The synthetic residents: who exists, who is detained, and since when.

Every other part of the leak (registers, detainee photos, documents) is drawn from this one
population, so the truth about a person is decided once, here.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from veracity.people.idcard import make_id
from veracity.people.names import UyghurName, fold_latin, load_names
from veracity.synth._common import SynthConfig, Truth, stream


@dataclass(frozen=True)
class Person:
    """One synthetic resident. The ID is the true, valid one; registers may print it damaged."""

    key: str  # stable truth identifier, e.g. "P000123"
    id_number: str  # 18 characters, GB 11643-1999, valid
    given_name_zh: str  # Chinese transcription, e.g. 阿卜杜热合曼
    father_name_zh: str  # e.g. 艾山
    given_name_latin: str  # Uyghur Latin (ULY), e.g. Abdurehman
    father_name_latin: str  # e.g. Hesen
    sex: str  # "男" or "女"
    ethnicity: str  # e.g. 维吾尔族
    birth_date: date
    county_code: str  # 6-digit region code the ID was issued under
    village: str  # the register (village) the person lives in
    address: str  # 现住址
    status: str  # 正常 / 教培 / 收押 / 拘留 / 判刑
    detention_start: date | None  # None when status is 正常
    facility: str | None
    building: str | None
    cell: str | None
    sentence_months: int | None  # only for 判刑
    reason: str | None

    @property
    def full_name_zh(self) -> str:
        """Given name and father's name joined by the middle dot, as registers print them."""
        return f"{self.given_name_zh}·{self.father_name_zh}"

    @property
    def is_detained(self) -> bool:
        return self.detention_start is not None


# --- the generator ------------------------------------------------------------------------

#: The day "adult" is measured on (design.md: aged 18 or more on 2018-01-01).
ADULT_ON = date(2018, 1, 1)
DETENTION_FIRST = date(2017, 1, 1)
DETENTION_LAST = date(2018, 7, 31)
DETAINED_STATUSES = ("教培", "收押", "拘留", "判刑")
_STATUS_WEIGHTS = (50, 15, 8, 27)
_DETAINED_SHARE = 0.15  # of people 16 or older in 2017: ~12-13% of everyone
_OTHER_BIRTH_REGIONS = ("653101", "653122", "653129", "654002", "654021", "650102")
_REASONS = (
    "非法宗教活动",
    "宗教极端",
    "出境未归",
    "持有违禁音视频",
    "涉稳重点人员",
    "聚众扰乱社会秩序",
    "使用翻墙软件",
)
_VILLAGE_NAMES = (
    "阿克塔木村", "喀拉墩村", "托万克村", "英买里村", "巴格其村", "阔什艾日克村", "亚喀艾日克村",
    "其兰巴格村", "库木巴格村", "尤喀克村", "阿亚格村", "吾斯塘村", "博斯坦村", "墩买里村",
    "色日克布亚村", "阿热勒村", "托格拉克村", "恰勒巴格村", "阿克吐尔村", "拜什托格拉克村",
    "克孜勒村", "阿其克村", "艾日克村", "喀拉苏村", "阿克其村", "铁热克村",
)  # fmt: skip


@dataclass(frozen=True)
class County:
    """A real county the synthetic residents live in, with its townships and facilities."""

    code: str  # GB/T 2260, checked against people/data/regions.csv by the tests
    name_zh: str
    name_latin: str
    prefecture: str
    townships: tuple[str, ...]
    training_centres: tuple[str, ...]  # 教培
    jail: str  # 看守所: 收押 and 判刑 awaiting transfer
    lockup: str  # 拘留所

    def facility(self, rng: random.Random, status: str) -> str:
        if status == "教培":
            return rng.choice(self.training_centres)
        return self.lockup if status == "拘留" else self.jail


#: The two counties of the real 2022 leak: Konasheher (Kashgar) and Tekes (Ili).
COUNTIES = (
    County(
        "653121", "疏附县", "Konasheher", "喀什地区",
        ("托克扎克镇", "吾库萨克镇", "兰干乡", "乌帕尔乡", "塔什米里克乡", "铁日木乡", "布拉克苏乡",
         "萨依巴格乡", "站敏乡", "木什乡"),
        ("疏附县第一职业技能教育培训中心", "疏附县第二职业技能教育培训中心"),
        "疏附县看守所", "疏附县拘留所",
    ),
    County(
        "654027", "特克斯县", "Tekes", "伊犁哈萨克自治州",
        ("特克斯镇", "乔拉克铁热克镇", "喀拉达拉乡", "齐勒乌泽克乡", "喀拉托海乡", "阔克苏乡",
         "呼吉尔特蒙古民族乡"),
        ("特克斯县职业技能教育培训中心",),
        "特克斯县看守所", "特克斯县拘留所",
    ),
)  # fmt: skip


def county_of(person: Person) -> County:
    """The county a person lives in (their address names it; the ID may come from elsewhere)."""
    for county in COUNTIES:
        if county.name_zh in person.address:
            return county
    raise ValueError(f"{person.key}: address {person.address!r} names no known county")


def _villages(rng: random.Random) -> list[tuple[County, str]]:
    """8-20 villages per county, named township + village, unique across the leak.

    Named villages come from a pool; when it runs out, villages are numbered within their
    township (托克扎克镇3村), as many real ones are.
    """
    pool = list(_VILLAGE_NAMES)
    rng.shuffle(pool)
    numbered: Counter[str] = Counter()
    out: list[tuple[County, str]] = []
    for county in COUNTIES:
        for _ in range(rng.randint(8, 20)):
            township = rng.choice(county.townships)
            if pool:
                village = pool.pop()
            else:
                numbered[township] += 1
                village = f"{numbered[township]}村"
            out.append((county, township + village))
    return out


def _birth_date(rng: random.Random) -> date:
    """1940-2012, younger people more common, as in a rural population pyramid."""
    year = 2012 - int(73 * rng.betavariate(1.2, 1.9))
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _pick_zh(rng: random.Random, name: UyghurName) -> str:
    """Usually the common transcription; sometimes a variant, as different clerks write it."""
    return name.zh if rng.random() < 0.75 or len(name.chinese) == 1 else rng.choice(name.chinese)


def _sentence(rng: random.Random) -> int:
    years = rng.choice((2, 3, 5, 7, 8, 10, 10, 12, 15, 16, 18, 20))
    return years * 12 - (rng.randrange(1, 12) if rng.random() < 0.25 else 0)


class _Ids:
    """Hands out ID numbers, never the same one twice."""

    def __init__(self) -> None:
        self.used: set[tuple[str, date, str]] = set()

    def issue(self, rng: random.Random, code: str, birth: date, sex: str) -> str:
        sequence = rng.randrange(500)
        while (code, birth, f"{sex}{sequence}") in self.used:
            sequence = (sequence + 1) % 500
        self.used.add((code, birth, f"{sex}{sequence}"))
        return make_id(code, birth, sequence, sex)


def _person(rng: random.Random, index: int, draw: _Draw, ids: _Ids) -> Person:
    village_county, village = rng.choice(draw.villages)
    female = rng.random() < 0.5
    given = draw.female() if female else draw.male()
    father = draw.male()
    sex = "女" if female else "男"
    birth = _birth_date(rng)
    code = village_county.code if rng.random() < 0.95 else rng.choice(_OTHER_BIRTH_REGIONS)
    detained = birth <= date(2001, 6, 30) and rng.random() < _DETAINED_SHARE
    status = rng.choices(DETAINED_STATUSES, _STATUS_WEIGHTS)[0] if detained else "正常"
    start = DETENTION_FIRST + timedelta(days=rng.randrange((DETENTION_LAST - DETENTION_FIRST).days))
    return Person(
        key=f"P{index:06d}",
        id_number=ids.issue(rng, code, birth, sex),
        given_name_zh=_pick_zh(rng, given),
        father_name_zh=_pick_zh(rng, father),
        given_name_latin=given.uly,
        father_name_latin=father.uly,
        sex=sex,
        ethnicity="维吾尔族",
        birth_date=birth,
        county_code=code,
        village=village,
        address=(
            f"新疆维吾尔自治区{village_county.prefecture}{village_county.name_zh}{village}"
            f"{rng.randint(1, 9)}组{rng.randint(1, 120)}号"
        ),
        status=status,
        detention_start=start if detained else None,
        facility=village_county.facility(rng, status) if detained else None,
        building=f"{rng.randint(1, 12)}号楼" if detained else None,
        cell=f"{rng.randint(1, 5)}{rng.randint(1, 30):02d}" if detained else None,
        sentence_months=_sentence(rng) if status == "判刑" else None,
        reason=rng.choice(_REASONS) if detained else None,
    )


class _Draw:
    """Names drawn with a skewed frequency (a few names are very common), and the villages."""

    def __init__(self, rng: random.Random, villages: list[tuple[County, str]]) -> None:
        self.rng = rng
        self.villages = villages
        names = load_names()
        self.males = [n for n in names if n.sex == "M"]
        self.females = [n for n in names if n.sex == "F"]
        self.male_weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(self.males))))
        self.female_weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(self.females))))

    def male(self) -> UyghurName:
        return self.rng.choices(self.males, cum_weights=self.male_weights)[0]

    def female(self) -> UyghurName:
        return self.rng.choices(self.females, cum_weights=self.female_weights)[0]


def _fix_story(people: list[Person]) -> list[Person]:
    """Make sure both detention years and the leak's telling sentences (16 years, 15 years and
    11 months) occur, whatever the draw, so small leaks still exercise every case."""
    detained = [i for i, p in enumerate(people) if p.is_detained]
    if len(detained) >= 2:
        first, last = detained[0], detained[-1]
        people[first] = replace(people[first], detention_start=date(2017, 3, 14))
        people[last] = replace(people[last], detention_start=date(2018, 5, 22))
    sentenced = [i for i, p in enumerate(people) if p.status == "判刑"]
    for index, months in zip(sentenced, (192, 191), strict=False):
        people[index] = replace(people[index], sentence_months=months)
    return people


def generate_population(config: SynthConfig, truth: Truth) -> list[Person]:
    """`config.people` residents of the COUNTIES' villages, deterministic for a seed.

    Fills truth sections "people", "stats" (every person is listed in their village's
    register, so the stats count them all) and "name_queries".
    """
    rng = stream(config.seed, "population")
    draw = _Draw(rng, _villages(rng))
    ids = _Ids()
    people = _fix_story([_person(rng, i + 1, draw, ids) for i in range(config.people)])
    truth.sections["people"] = [_truth_entry(p) for p in people]
    truth.sections["stats"] = population_stats(people)
    truth.sections["name_queries"] = name_queries(stream(config.seed, "name_queries"), people)
    return people


def _truth_entry(person: Person) -> dict[str, Any]:
    return {
        "key": person.key,
        "id_number": person.id_number,
        "name_zh": person.full_name_zh,
        "name_latin": f"{person.given_name_latin} {person.father_name_latin}",
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "village": person.village,
        "status": person.status,
        "detention_start": person.detention_start.isoformat() if person.detention_start else None,
    }


def population_stats(people: Sequence[Person]) -> dict[str, Any]:
    """design.md's `stats` figures for these people: what `veracity stats` must find."""
    detained = [p for p in people if p.detention_start is not None]
    by_year = Counter(str(p.detention_start.year) for p in detained if p.detention_start)
    adults = [p for p in people if _age_on(p.birth_date, ADULT_ON) >= 18]
    detained_adults = [p for p in adults if p.is_detained]
    return {
        "people": len({p.key for p in people}),
        "detained": {"total": len(detained), "by_year": dict(sorted(by_year.items()))},
        "adults": len(adults),
        "detained_adult_share": round(len(detained_adults) / len(adults), 6) if adults else 0.0,
    }


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


#: ULY -> the Uyghur Cyrillic alphabet (Uyghur Siril Yëziqi), digraphs first.
_CYRILLIC = (
    ("ng", "ң"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("gh", "ғ"),
    ("a", "а"),
    ("b", "б"),
    ("c", "ч"),
    ("d", "д"),
    ("e", "ә"),
    ("é", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "һ"),
    ("i", "и"),
    ("j", "җ"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("ö", "ө"),
    ("p", "п"),
    ("q", "қ"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("ü", "ү"),
    ("w", "в"),
    ("x", "х"),
    ("y", "й"),
    ("z", "з"),
    ("'", ""),
)


def uly_to_cyrillic(uly: str) -> str:
    """A ULY name in Uyghur Cyrillic (Abdurehim -> Абдурәһим), capitalised."""
    text, out = uly.lower(), []
    i = 0
    while i < len(text):
        for latin, cyrillic in _CYRILLIC:
            if text.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    written = "".join(out)
    return written[:1].upper() + written[1:]


def name_queries(
    rng: random.Random, people: Sequence[Person], count: int = 20
) -> list[dict[str, Any]]:
    """Latin-script name searches ("Abdurakhman Hasan") and every ID each must find.

    A query names a given name and a father's name; every person with that pair of names
    (in any transcription) must be found, so `id_numbers` lists them all. Unambiguous pairs
    are preferred; the spelling alternates between ULY, ULY without diacritics, English and
    Uyghur Cyrillic (as relatives in Kazakhstan and Kyrgyzstan write).
    """
    by_pair: dict[tuple[str, str], list[Person]] = {}
    for person in people:
        by_pair.setdefault((person.given_name_latin, person.father_name_latin), []).append(person)
    pairs = sorted(by_pair)
    rng.shuffle(pairs)
    pairs.sort(key=lambda pair: len(by_pair[pair]) > 1)  # stable: unique pairs first
    names = {n.uly: n for n in load_names()}
    queries = []
    for number, pair in enumerate(pairs[:count]):
        given, father = names[pair[0]], names[pair[1]]
        style = ("uly", "ascii", "english", "cyrillic")[number % 4]
        if style == "cyrillic":
            text = f"{uly_to_cyrillic(given.uly)} {uly_to_cyrillic(father.uly)}"
        elif style == "uly":
            text = f"{given.uly} {father.uly}"
        elif style == "ascii":
            text = f"{fold_latin(given.uly)} {fold_latin(father.uly)}"
        else:
            text = f"{rng.choice(given.english)} {rng.choice(father.english)}"
        matches = by_pair[pair]
        queries.append({
            "query": text,
            "style": style,
            "id_number": matches[0].id_number,
            "id_numbers": sorted(p.id_number for p in matches),
            "person_keys": sorted(p.key for p in matches),
        })  # fmt: skip
    return queries
