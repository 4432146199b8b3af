"""The case database's tables, declared once with SQLAlchemy Core for SQLite and PostgreSQL.

Keys are natural (content hash, source and path) rather than counters wherever a row can be
written by more than one run: an ingest killed half-way and resumed must end with exactly the
rows of an uninterrupted run, and natural keys make every write an idempotent upsert.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    # the absolute folder given to ingest; paths below are relative to it
    Column("root", Text, nullable=False, unique=True),
)

files = Table(
    "files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    # what the content is, from libmagic; independent of any name the file had
    Column("mime", String(200), nullable=False),
    Column("magic", Text, nullable=False),
)

paths = Table(
    "paths",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    # relative to the source root, '/'-separated; archive members as 'a.zip!/inner/x.jpg'
    Column("path", Text, primary_key=True),
    # null when the member was refused or unreadable before it could be hashed
    Column("sha256", String(64), ForeignKey("files.sha256"), nullable=True),
    Column("parent", Text, nullable=True),
    # what the file's extension claims it is; a mismatch with files.mime is evidence
    Column("claimed_mime", String(200), nullable=True),
    Column("size", BigInteger, nullable=True),
    # filesystem mtime of an original (change detection on re-ingest); null for members
    Column("mtime_ns", BigInteger, nullable=True),
    # the time stamp an archive stored for a member, as written (no zone), or null
    Column("member_modified", String(32), nullable=True),
    Column("error_kind", String(40), nullable=True),
    Column("error", Text, nullable=True),
    # where inside its parent a member sits (JSON locator), e.g. a photo anchored to a row
    Column("locator", Text, nullable=True),
)

extractions = Table(
    "extractions",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("extractor", String(60), nullable=False),
    Column("version", String(20), nullable=False),
    # done | failed | unsupported | ignored | pending (an archive whose members are not all in)
    Column("status", String(20), nullable=False),
    Column("error_kind", String(40), nullable=True),
    Column("error", Text, nullable=True),
    Column("metadata", Text, nullable=False, default="{}"),
    Column("raw", Text, nullable=False, default="{}"),
    Column("text", Text, nullable=True),
    Column("language", String(16), nullable=True),
)

pages = Table(
    "pages",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("kind", String(10), primary_key=True),  # page | slide | sheet
    Column("number", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("is_ocr", Integer, nullable=False, default=0),
)

rows = Table(
    "rows",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("sheet", Text, primary_key=True),
    Column("row", Integer, primary_key=True),  # as Excel numbers it, 1-based
    Column("cells", Text, nullable=False),  # JSON list
)

#: One person row of a register, its columns mapped to fields (people/records.py). Keyed by the
#: row's place in its content, so re-reading a register replaces its records one for one.
records = Table(
    "records",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("sheet", Text, primary_key=True),
    Column("row", Integer, primary_key=True),  # as Excel numbers it, 1-based
    Column("name_raw", Text, nullable=True),
    Column("id_raw", Text, nullable=True),  # the cell as written (a float as Python shows it)
    Column("id_number", String(18), nullable=True),  # normalised; null when unreadable
    # valid | bad_check | bad_date | unknown_region | excel_destroyed | malformed | missing
    Column("id_status", String(20), nullable=False),
    # what the ID says, to compare with what the row says (sex, birth_date)
    Column("id_birth_date", String(10), nullable=True),
    Column("id_sex", String(2), nullable=True),
    Column("id_region", String(6), nullable=True),  # the ID's 6-digit region code
    Column("sex", Text, nullable=True),  # 男/女 when recognised, else as written
    Column("birth_date", String(10), nullable=True),  # ISO; null when no full date was given
    Column("ethnicity", Text, nullable=True),
    Column("address", Text, nullable=True),
    Column("status", Text, nullable=True),
    Column("detention_start", String(10), nullable=True),  # ISO
    Column("place", Text, nullable=True),
    Column("sentence_raw", Text, nullable=True),
    Column("sentence_months", Integer, nullable=True),  # null for 无期/死缓 or unreadable
    Column("reason", Text, nullable=True),
    # JSON object: header -> value of every unmapped column, and of unreadable dates
    Column("extra", Text, nullable=False, default="{}"),
    # the kind of list the row is on (people/register_kinds.py): residents, detainees, staff…
    Column("register_kind", String(20), nullable=True),
)

#: Every sheet of every spreadsheet as people/records.py read it: the kind of list it is and
#: why, its header row and the field of each column with how it was decided. The figures say
#: which registers and which columns they rest on from here.
registers = Table(
    "registers",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("sheet", Text, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("kind_how", String(10), nullable=False),  # guess | override
    Column("kind_reasons", Text, nullable=False, default="[]"),  # JSON list of strings
    Column("header_row", Integer, nullable=True),
    Column("columns", Text, nullable=False, default="[]"),  # JSON [{column, header, field, how}]
    Column("records", Integer, nullable=False, default=0),
)

#: What the search index holds (search/index.py): a digest per content of everything its units
#: are built from (paths, extraction), and one for all persons; a changed digest re-indexes it.
search_state = Table(
    "search_state",
    metadata,
    Column("key", String(64), primary_key=True),  # a content's sha256, or "persons"
    Column("digest", String(64), nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("check", String(80), nullable=False, index=True),
    Column("severity", String(10), nullable=False),
    Column("path", Text, nullable=True),
    Column("locator", Text, nullable=True),
    Column("message", Text, nullable=False),
    Column("evidence", Text, nullable=False, default="{}"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", String(40), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=True),
    Column("summary", Text, nullable=True),
)

#: Tables whose content must be identical after an interrupted-and-resumed ingest and a clean
#: one (`runs` is a log of attempts and differs by design).
persons = Table(
    "persons",
    metadata,
    # stable across rebuilds: derived from the person's records, never a counter
    Column("person_id", String(40), primary_key=True),
    Column("id_number", String(18), nullable=True, index=True),  # the valid ID, if any
    Column("name", Text, nullable=True),  # the name as most often written
    Column("given_name", Text, nullable=True),
    Column("father_name", Text, nullable=True),
    Column("given_key", String(64), nullable=True),  # people/keys.py part_key
    Column("father_key", String(64), nullable=True),
    Column("pinyin", Text, nullable=True),
    Column("sex", String(2), nullable=True),
    Column("birth_date", String(10), nullable=True),
    Column("records", Integer, nullable=False),
    Column("detention_start", String(10), nullable=True),  # the earliest, ISO
    # the kinds of list the person's records are on, as ",residents,detainees," (so the
    # figures filter persons by their lists without joining every record)
    Column("kinds", Text, nullable=True),
    # `people find`: one key equal and the other equal or in a prefix range, either order
    Index("ix_persons_given_father", "given_key", "father_key"),
    Index("ix_persons_father_given", "father_key", "given_key"),
)

#: Every name key pair a person's records carry (their main name's is in `persons`), so that
#: `people find` finds a person by any transcription their registers wrote, not only the most
#: frequent. A missing father's name is "" (a key column must not be null).
person_names = Table(
    "person_names",
    metadata,
    Column("person_id", String(40), primary_key=True),
    Column("given_key", String(64), primary_key=True),
    Column("father_key", String(64), primary_key=True),
    Index("ix_person_names_given_father", "given_key", "father_key"),
    Index("ix_person_names_father_given", "father_key", "given_key"),
)

#: Every distinct name part of the case (a `person_names` key) with the codes of its readings
#: (people/sounds.py): `people find` compares a query with each of them, then looks up the
#: persons of the closest parts by key.
name_parts = Table(
    "name_parts",
    metadata,
    Column("part_key", String(64), primary_key=True),
    Column("codes", Text, nullable=False),  # "|"-separated sound codes
    Column("persons", Integer, nullable=False),  # how many persons' names hold it
)

person_records = Table(
    "person_records",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("sheet", Text, primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("person_id", String(40), nullable=False, index=True),
    Column("rule", String(20), nullable=False),  # id | probabilistic | single | user
    Column("score", Float, nullable=True),  # match probability for probabilistic links
    Column("evidence", Text, nullable=False, default="{}"),  # JSON: what agreed, what not
)

person_decisions = Table(
    "person_decisions",
    metadata,
    # a user's merge or split, keyed by records (not person ids), so it survives re-ingest
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),  # merge | split
    Column("record_a", Text, nullable=False),  # "sha256/sheet/row"
    Column("record_b", Text, nullable=False),
    Column("note", Text, nullable=True),
    Column("created_at", String(32), nullable=False),
)

person_photos = Table(
    "person_photos",
    metadata,
    Column("person_id", String(40), primary_key=True),
    Column("source_id", Integer, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("how", String(20), nullable=False),  # file_name | folder | exif | cell
)

#: Indexes on tables older than migration 4 that `people find`/`show` need: an ID prefix in the
#: records (damaged IDs), and every path of a content. Declared apart so migration 4 can add
#: them to a case made before it; a new case gets them with the tables.
SEARCH_INDEXES = (
    Index("ix_records_id_number", records.c.id_number),
    Index("ix_records_id_raw", records.c.id_raw),
    Index("ix_paths_sha256", paths.c.sha256),
)

CONTENT_TABLES = (
    sources,
    files,
    paths,
    extractions,
    pages,
    rows,
    records,
    registers,
    persons,
    person_names,
    name_parts,
    person_records,
    person_photos,
    findings,
)
