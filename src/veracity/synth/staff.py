"""The synthetic police staff: officers (民警), auxiliaries (辅警) and facility workers.

A leak's staff lists name people too, with birth dates, sometimes ID numbers, and dates that
look like events (入职时间, 入警时间). They are new people, never residents: the truth lists
them apart (section "staff") so a reader can be scored on keeping them out of the residents'
figures. Officers are Uyghur and Han, as in the real county bureaus; their IDs come from
`make_id` under city codes the residents' IDs never use, and are checked against the
residents' anyway, as are name and birth date together.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from veracity.people.idcard import make_id
from veracity.people.names import load_names
from veracity.synth._common import SynthConfig, stream
from veracity.synth.population import COUNTIES, County, Person

#: Common Han surnames and given-name characters, written for this generator (not from a list
#: of real people): enough variety that names rarely repeat in a county bureau.
_HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_HAN_GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁龙林建国志新海东峰俊文晓庆"
_HAN_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲桂芬婷雪琳慧莉萍红梅倩颖洁瑶佳晶月兰凤"
#: Where staff IDs were issued: Xinjiang cities and, for Han officers, inland districts. None
#: is a code the synthetic residents' IDs use (their counties and _OTHER_BIRTH_REGIONS).
_XINJIANG_CITIES = ("650103", "650104", "650105", "652801", "652901", "653001")
_INLAND = ("410105", "510107", "370102", "130102", "610113", "420106", "430102", "620102")
_POSTS_OFFICER = ("所长", "副所长", "教导员", "民警", "民警", "民警", "社区民警", "内勤")
_POSTS_AUXILIARY = ("辅警", "辅警", "辅警", "巡逻队员", "便民警务站队员", "看护队员")
_POSTS_FACILITY = ("管教民警", "管教民警", "看守民警", "医生", "炊事员", "监控员")
_POLITICS = ("中共党员", "中共党员", "中共预备党员", "共青团员", "群众")
_EDUCATION = ("大学本科", "大学本科", "大专", "大专", "中专", "高中", "研究生")


@dataclass(frozen=True)
class StaffMember:
    """One member of staff, as every roster that names them prints them."""

    key: str  # truth identifier, e.g. "S0001"
    name: str  # Han 王伟, or Uyghur 艾力·吐尔逊; identical in every list
    han: bool
    sex: str  # 男 / 女
    ethnicity: str
    birth_date: date
    id_number: str
    police_number: str  # 警号 (officers) or 辅警编号; "" for workers
    county: str
    unit: str  # 疏附县公安局托克扎克镇派出所, 疏附县看守所 …
    post: str
    auxiliary: bool
    hired: date  # 入职时间 / 入警时间: recent, after the 18th birthday
    politics: str
    education: str
    phone: str  # a made-up mobile number

    def truth(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id_number": self.id_number,
            "name_zh": self.name,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat(),
            "unit": self.unit,
            "post": self.post,
            "hired": self.hired.isoformat(),
        }


def units_of(county: County, rng: random.Random) -> list[str]:
    """Two or three police stations, the jail and one training centre of a county."""
    stations = rng.sample(county.townships, k=min(len(county.townships), rng.randint(2, 3)))
    return [
        *(f"{county.name_zh}公安局{t}派出所" for t in stations),
        county.jail,
        county.training_centres[0],
    ]


class _StaffMaker:
    def __init__(self, rng: random.Random, residents: Sequence[Person]) -> None:
        self.rng = rng
        names = load_names()
        self.male = [n.zh for n in names if n.sex == "M"]
        self.female = [n.zh for n in names if n.sex == "F"]
        self.ids = {p.id_number for p in residents}
        self.name_births = {(p.full_name_zh, p.birth_date) for p in residents}
        self.names: set[str] = set()

    def name(self, han: bool, female: bool) -> str:
        """A name not yet given to another member of staff (lists name each person once)."""
        rng = self.rng
        while True:
            if han:
                chars = _HAN_GIVEN_FEMALE if female else _HAN_GIVEN_MALE
                given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))
                name = rng.choice(_HAN_SURNAMES) + given
            else:
                name = f"{rng.choice(self.female if female else self.male)}·{rng.choice(self.male)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def member(self, number: int, county: County, unit: str, chief: bool) -> StaffMember:
        """`chief`: the first of a unit, an officer who leads it (every station has one)."""
        rng = self.rng
        facility = not unit.endswith("派出所")
        auxiliary = not facility and not chief and rng.random() < 0.55
        han = rng.random() < 0.45
        female = rng.random() < (0.3 if auxiliary else 0.2)
        birth = date(rng.randint(1966, 1997), 1, 1) + timedelta(days=rng.randrange(365))
        if auxiliary:  # the mass recruitment of 2016-2018
            hired = date(2016, 3, 1) + timedelta(days=rng.randrange(880))
        else:
            earliest = max(date(birth.year + 21, 7, 1), date(1995, 1, 1))
            hired = earliest + timedelta(
                days=rng.randrange(max(1, (date(2018, 6, 30) - earliest).days))
            )
        name = self.name(han, female)
        while (name, birth) in self.name_births:
            birth += timedelta(days=1)
        sex = "女" if female else "男"
        region = rng.choice(_INLAND if han and rng.random() < 0.6 else _XINJIANG_CITIES)
        id_number = make_id(region, birth, rng.randrange(500), sex)
        while id_number in self.ids:
            id_number = make_id(region, birth, rng.randrange(500), sex)
        self.ids.add(id_number)
        posts = _POSTS_FACILITY if facility else _POSTS_AUXILIARY if auxiliary else _POSTS_OFFICER
        badge = (
            f"{rng.randint(100000, 999999)}" if not auxiliary else f"FJ{rng.randint(1000, 9999)}"
        )
        return StaffMember(
            key=f"S{number:04d}",
            name=name,
            han=han,
            sex=sex,
            ethnicity="汉族" if han else "维吾尔族",
            birth_date=birth,
            id_number=id_number,
            police_number=badge,
            county=county.name_zh,
            unit=unit,
            post=("所长" if not facility else posts[0]) if chief else rng.choice(posts),
            auxiliary=auxiliary,
            hired=hired,
            politics=rng.choice(_POLITICS) if not auxiliary else rng.choice(_POLITICS[2:]),
            education=rng.choice(_EDUCATION),
            phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        )


def generate_staff(config: SynthConfig, residents: Sequence[Person]) -> list[StaffMember]:
    """Staff for every unit of every county: a few dozen for a small leak, more for a big one."""
    rng = stream(config.seed, "workbooks", "staff")
    maker = _StaffMaker(rng, residents)
    per_unit = max(6, min(40, config.people // 60))
    staff: list[StaffMember] = []
    for county in COUNTIES:
        for unit in units_of(county, rng):
            for index in range(rng.randint(per_unit, per_unit + 4)):
                staff.append(maker.member(len(staff) + 1, county, unit, chief=index == 0))
    return staff
