"""Official-style Chinese prose for the synthetic documents, built from templates and phrases.

The leak's documents must read like the real thing to exercise search, language detection and
OCR (long runs of 维稳/教培/收押 vocabulary, numbered sections, recipients, issuers, dates), yet
carry no real text: every sentence here is assembled from the pools below by one seeded random
stream, so the same seed gives the same words. The content model (`Doc`, `Heading`, `Table`,
`Foreign`, `Deck`) is what the Word, PowerPoint and PDF writers render.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from veracity.synth.population import Person


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Foreign:
    """A line in another language: "ug" (Uyghur, Arabic script) or "en"."""

    text: str
    lang: str


#: A paragraph is a plain string; the other blocks say what else a document holds.
Block = str | Heading | Table | Foreign


@dataclass(frozen=True)
class Doc:
    title: str
    blocks: tuple[Block, ...]
    mentions: tuple[str, ...] = ()  # keys of the people named in the text

    @property
    def languages(self) -> tuple[str, ...]:
        foreign = (b.lang for b in self.blocks if isinstance(b, Foreign))
        return tuple(dict.fromkeys(("zh", *foreign)))


@dataclass(frozen=True)
class Slide:
    title: str
    bullets: tuple[str, ...]
    notes: str
    picture: bool = False  # one slide carries an abstract "site plan" image


@dataclass(frozen=True)
class Deck:
    title: str
    slides: tuple[Slide, ...]
    languages: tuple[str, ...] = ("zh",)


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于"
    "杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙"
    "黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
GIVEN = "建国志强海军红梅丽华新民永刚晓东卫东国庆玉兰春燕文杰明辉立新秀英德胜振华桂芳瑞峰俊杰"
FACILITIES = ("县看守所", "县拘留所", "县职业技能教育培训中心")


def _pool(words: str) -> tuple[str, ...]:
    return tuple(words.split())


ORGS = _pool(
    "中共{county}委员会政法委员会 {county}维护稳定工作领导小组办公室 "
    "{county}职业技能教育培训工作领导小组 {county}公安局 {county}人民政府办公室"
)
#: Slot fillers for the sentence templates, one space-separated pool per slot.
SLOTS: dict[str, tuple[str, ...]] = {
    "work": _pool(
        "维护社会稳定 教育转化 职业技能教育培训 反恐维稳 去极端化 社会面管控 重点人员管控 收押收教"
    ),
    "policy": _pool("自治区党委决策部署 社会稳定和长治久安总目标 上级会议精神 地委工作要求"),
    "principle": _pool("应收尽收 稳字当头 依法从严、教育为主 教育转化与依法管理相结合"),
    "practice": _pool(
        "人防、物防、技防三防到位 全天候、无死角管控 底数清、情况明 责任到人、措施到位"
    ),
    "security": _pool("双人双锁制度 二十四小时值班值守 视频监控全覆盖 出入登记和门禁管理"),
    "incident": _pool("脱逃 自伤自残 聚众闹事 传染病疫情 火灾"),
    "procedure": _pool("健康体检 登记造册 谈话评估 信息采集"),
    "record": _pool("个人档案 教育转化档案 一人一策工作台账"),
    "period": _pool("今年以来 上半年 第一季度 近一个月 去年以来"),
    "risk": _pool("暴恐活动 宗教极端思想渗透 境外敌对势力干扰 非法宗教活动"),
    "unit": _pool("各乡镇（场） 县直各单位 各派出所 各教培中心 各村（社区）工作队"),
    "eval": _pool("积分制考核 综合评估 思想转化评估"),
    "meeting": _pool(
        "维护稳定工作会议 教育转化工作推进会 教培中心安全管理工作会议 政法工作电视电话会议"
    ),
}

SENTENCES: dict[str, tuple[str, ...]] = {
    "situation": (
        "当前，{county}社会大局总体平稳可控，但{risk}的形势依然严峻复杂。",
        "{period}，各级各部门认真贯彻{policy}，{work}工作取得阶段性成效。",
        "从近期排查情况看，{risk}的隐患仍未根除，个别地方思想认识不到位、工作措施不落实。",
        "{period}，全县共排查各类重点人员{n}人，依法收押{m}人，送教{k}人。",
        "实践证明，只有坚持{principle}，才能从根本上铲除{risk}滋生的土壤。",
    ),
    "require": (
        "{unit}要切实把{work}作为当前最紧迫的政治任务，主要领导亲自抓、负总责。",
        "要坚持{principle}，做到{practice}，确保不漏一户、不漏一人。",
        "{unit}要严格落实{security}，对发现的问题立行立改，绝不能麻痹大意。",
        "对工作不力、造成严重后果的，要依纪依规严肃追究有关人员责任。",
        "要把{work}与精准扶贫、乡村振兴结合起来，做到两手抓、两不误。",
        "各级领导干部要深入一线，摸清底数，做到{practice}。",
    ),
    "center": (
        "各教培中心要严格落实{security}，严防{incident}等问题发生。",
        "截至{day}，全县教培中心共有学员{n}人，较上月增加{m}人。",
        "对新收押人员要逐一进行{procedure}，建立{record}，做到一人一档。",
        "学员结业须经{eval}，达到标准并经领导小组审批后方可办理结业手续。",
        "要加强国家通用语言、法律法规和职业技能教育，每周安排学员家属视频会见。",
        "监区实行分级管理，按照严格管理、普通管理和宽松管理三个等级编班编组。",
    ),
    "stats": (
        "{period}，{facility}新收押{n}人，释放{m}人，转刑事处理{k}人。",
        "全县在押、在教人员共计{n}人，其中判刑{m}人，行政拘留{k}人。",
        "经核查，{unit}上报数据与系统数据存在差异{k}人，已责成限期核实。",
        "按照统计口径，教培人员按户籍所在村（社区）逐月汇总上报。",
    ),
}

SPEECH_SECTIONS = (
    "一、统一思想，充分认清当前形势的严峻性复杂性",
    "二、突出重点，扎实推进{work}工作",
    "三、强化措施，确保各教培中心安全稳定",
    "四、压实责任，以铁的纪律保障各项任务落实",
)
NOTICE_TOPICS = (
    "进一步加强职业技能教育培训中心安全管理",
    "开展重点人员集中排查",
    "做好学员家属接待和帮扶工作",
    "报送收押人员统计数据",
    "开展突发事件应急处置演练",
    "做好节日期间维护稳定工作",
)
REPORT_TOPICS = (
    "{period}维护稳定工作情况",
    "职业技能教育培训工作开展情况",
    "收押收教人员统计情况",
    "重点人员排查管控情况",
)
DRILL_TOPICS = (
    "{facility}突发事件应急处置演练",
    "{facility}防脱逃应急演练",
    "教培中心消防安全疏散演练",
    "重点部位安全防范工作汇报",
)
CLASSIFICATIONS = ("机密★1年", "秘密★6个月", "机密★长期", "内部资料 注意保存")

UYGHUR_LINES = (
    "كەسپىي ماھارەت مائارىپ تەربىيىلەش مەركىزى",
    "ئىچكى ماتېرىيال، مەخپىي ساقلانسۇن",
    "مۇقىملىقنى قوغداش خىزمىتى يىغىنى",
    "بىخەتەرلىك خىزمىتى توغرىسىدا دوكلات",
)
ENGLISH_LINES = (
    "Vocational Skills Education and Training Center: internal use only.",
    "Monthly statistics of detained persons, to be reported before the 5th.",
    "Emergency response drill plan for the detention facility.",
    "Security work meeting, minutes for distribution to unit leaders.",
)


class Prose:
    """The sentences of one document, dated by it, never repeating one, as no drafter would.

    `said` seeds the sentences to avoid, so a text derived from another (a published
    abridgement) adds only sentences of its own around the passages it shares.
    """

    def __init__(
        self, rng: random.Random, county: str, day: date, said: Iterable[str] = ()
    ) -> None:
        self.rng, self.county, self.day, self.said = rng, county, day, set(said)

    def fill(self, template: str, **fixed: str) -> str:
        rng = self.rng
        values: dict[str, str] = {key: rng.choice(pool) for key, pool in SLOTS.items()}
        values.update(
            county=self.county,
            facility=rng.choice(FACILITIES),
            n=str(rng.randrange(300, 3000)),
            m=str(rng.randrange(20, 300)),
            k=str(rng.randrange(3, 60)),
            day=zh_date(self.day - timedelta(days=rng.randrange(1, 25))),  # "as of" a recent day
        )
        values.update(fixed)
        return template.format(**values)

    def paragraph(self, *pools: str) -> str:
        """Three to five new sentences drawn from the named pools."""
        templates = [t for pool in pools for t in SENTENCES[pool]]
        wanted, chosen = self.rng.randrange(3, 6), []
        for template in self.rng.sample(templates, len(templates)):
            sentence = self.fill(template)
            if sentence not in self.said:
                self.said.add(sentence)
                chosen.append(sentence)
            if len(chosen) == wanted:
                break
        return "".join(chosen)


def sentences(doc: Doc) -> set[str]:
    """The sentences of a document's paragraphs (split after each 。)."""
    return {part + "。" for b in doc.blocks if isinstance(b, str) for part in b.split("。") if part}


def cadre_name(rng: random.Random) -> str:
    """A made-up Han official's name (surname plus one or two given characters)."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _foreign(rng: random.Random) -> list[Block]:
    """A Uyghur line, an English line, both or neither, as mixed-language documents have."""
    pools = (("ug", UYGHUR_LINES), ("en", ENGLISH_LINES))
    return [Foreign(rng.choice(lines), lang) for lang, lines in pools if rng.random() < 0.5]


def person_table(people: Sequence[Person]) -> Table:
    rows = tuple(
        (str(i), p.full_name_zh, p.id_number, p.village, p.status) for i, p in enumerate(people, 1)
    )
    return Table(("序号", "姓名", "公民身份号码", "村（社区）", "类别"), rows)


def speech(rng: random.Random, county: str, day: date) -> Doc:
    prose = Prose(rng, county, day)
    speaker = cadre_name(rng)
    meeting = rng.choice(SLOTS["meeting"])
    blocks: list[Block] = [f"（{zh_date(day)}）", speaker, "同志们："]
    blocks.append(
        f"今天召开{meeting}，主要任务是深入学习贯彻{rng.choice(SLOTS['policy'])}，总结前一阶段"
        "工作，分析当前形势，安排部署下一阶段任务。下面，我讲几点意见。"
    )
    for section in SPEECH_SECTIONS:
        blocks.append(Heading(prose.fill(section)))
        for _ in range(rng.randrange(2, 4)):
            blocks.append(prose.paragraph("situation", "require", "center"))
    blocks += _foreign(rng)
    blocks.append(
        "同志们，任务艰巨，责任重大。让我们以更加坚定的决心、更加有力的措施，确保各项工作落到实处！"
    )
    return Doc(f"在{county}{meeting}上的讲话", tuple(blocks))


def notice(rng: random.Random, county: str, day: date, people: Sequence[Person]) -> Doc:
    prose = Prose(rng, county, day)
    topic = rng.choice(NOTICE_TOPICS)
    org = rng.choice(ORGS).format(county=county)
    named = rng.sample(list(people), min(len(people), rng.randrange(3, 7)))
    blocks: list[Block] = ["，".join(rng.sample(SLOTS["unit"], 2)) + "："]
    blocks.append(
        f"为深入贯彻{rng.choice(SLOTS['policy'])}，切实做好{rng.choice(SLOTS['work'])}工作，"
        "经研究，现就有关事项通知如下。"
    )
    for heading, pools in (
        ("一、工作目标", ("situation",)),
        ("二、主要任务", ("require", "center")),
        ("三、工作要求", ("require",)),
    ):
        blocks.append(Heading(heading))
        blocks += [prose.paragraph(pool) for pool in pools]
    if named:
        blocks.append("附件：重点人员名单")
        blocks.append(person_table(named))
    blocks += _foreign(rng)
    blocks += ["特此通知。", org, zh_date(day)]
    return Doc(f"关于{topic}的通知", tuple(blocks), tuple(p.key for p in named))


_MEASURES = {
    "教培": "送职业技能教育培训中心学习",
    "收押": "依法收押",
    "拘留": "依法行政拘留",
    "判刑": "经法院判处有期徒刑",
}


def _village_table(people: Sequence[Person], limit: int = 20) -> Table:
    """Detained people by village and status, from the registers' own people (so it adds up);
    the `limit` villages with most detained, as a report lists its worst cases."""
    counts: dict[str, dict[str, int]] = {}
    for p in people:
        counts.setdefault(p.village, {}).setdefault(p.status, 0)
        counts[p.village][p.status] += 1
    statuses = ("教培", "收押", "拘留", "判刑")
    worst = sorted(counts, key=lambda v: (-sum(counts[v].get(s, 0) for s in statuses), v))
    rows = tuple(
        (village, *(str(counts[village].get(s, 0)) for s in statuses))
        for village in sorted(worst[:limit])
    )
    return Table(("村（社区）", *statuses), rows)


def report(rng: random.Random, county: str, day: date, people: Sequence[Person]) -> Doc:
    prose = Prose(rng, county, day)
    topic = prose.fill(rng.choice(REPORT_TOPICS))
    detained = [p for p in people if p.is_detained] or list(people)
    case = rng.choice(detained) if detained else None
    blocks: list[Block] = [f"{rng.choice(ORGS).format(county=county)}：", Heading("一、基本情况")]
    blocks += [prose.paragraph("stats", "situation") for _ in range(2)]
    if people:
        blocks.append(_village_table(people))
    blocks.append(Heading("二、主要做法"))
    blocks += [prose.paragraph("center", "require") for _ in range(rng.randrange(2, 4))]
    if case is not None:
        blocks.append(
            f"典型案例：家住{case.village}的{case.full_name_zh}（公民身份号码{case.id_number}），"
            f"经排查核实，于{zh_date(case.detention_start or day)}"
            f"{_MEASURES.get(case.status, '依法处理')}，"
            "目前思想稳定，表现良好。"
        )
    blocks.append(Heading("三、存在的问题"))
    blocks.append(prose.paragraph("situation", "stats"))
    blocks.append(Heading("四、下一步工作打算"))
    blocks += [prose.paragraph("require", "center") for _ in range(2)]
    if rng.random() < 0.6:
        blocks.append(Foreign(rng.choice(ENGLISH_LINES), "en"))
    blocks += [f"{county}维护稳定工作领导小组办公室", zh_date(day)]
    mentions = (case.key,) if case is not None else ()
    return Doc(f"关于{topic}的报告", tuple(blocks), mentions)


def briefing(rng: random.Random, county: str, day: date) -> Deck:
    prose = Prose(rng, county, day)
    facility = rng.choice(FACILITIES)
    title = prose.fill(rng.choice(DRILL_TOPICS), facility=facility)
    steps = ("发现警情", "报告指挥部", "封控现场", "清点人数", "处置完毕并恢复秩序")
    slides = [
        Slide(title, (f"{county}{facility}", zh_date(day)), "开场介绍演练背景和参演单位。"),
        Slide(
            "一、演练目的",
            tuple(prose.fill(s) for s in rng.sample(SENTENCES["require"], 3)),
            "强调本次演练的重点是检验快速反应能力。",
        ),
        Slide(
            "二、组织机构",
            (f"总指挥：{cadre_name(rng)}", f"副总指挥：{cadre_name(rng)}", "成员：各监区负责人"),
            "各组职责见附件，演练前一天完成人员分工。",
        ),
        Slide("三、演练流程", steps[: rng.randrange(3, 6)], "按流程逐项讲解，注意时间节点。"),
        Slide("四、现场示意图", ("监区布局及警戒位置示意",), "示意图仅供内部演练使用。", True),
        Slide(
            "五、处置要求",
            tuple(prose.fill(s) for s in rng.sample(SENTENCES["center"], 3)),
            prose.paragraph("require"),
        ),
    ]
    langs: tuple[str, ...] = ("zh",)
    if rng.random() < 0.5:
        slides.append(Slide("ئۇقتۇرۇش", (rng.choice(UYGHUR_LINES),), "维吾尔文说明。"))
        langs = ("zh", "ug")
    return Deck(title, tuple(slides), langs)


def scan_text(rng: random.Random, county: str, day: date, width: int) -> list[str]:
    """Lines of a short typed notice, wrapped at `width` characters, as a scanner would see."""
    body = Prose(rng, county, day).paragraph("require", "center")
    lines = ["通知", f"{rng.choice(SLOTS['unit'])}："]
    lines += [body[i : i + width] for i in range(0, len(body), width)]
    lines += ["特此通知。", rng.choice(ORGS).format(county=county)[:width], zh_date(day)]
    return lines


def edit_passage(text: str) -> str:
    """A lightly edited copy of a passage: one figure or phrase changed, as re-publishing does."""
    for old, new in (("要", "必须"), ("各级", "各地"), ("切实", "认真"), ("严格", "全面")):
        if old in text:
            return text.replace(old, new, 1)
    return text[:-1] + "，并及时报告。" if text else "及时报告。"
