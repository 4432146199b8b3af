"""Malicious and broken archives: traversal, links, bombs, deep nesting, lies, encryption."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import py7zr

from tests.conftest import paths_of, run_ingest, snapshot
from veracity.case import Case


def _zip(path: Path, members: dict[str, bytes], **info_args: object) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_slip_names_are_refused_and_recorded(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _zip(
        src / "zip-slip.zip",
        {
            "../../evil.txt": b"escape",
            "/etc/cron.d/evil": b"absolute",
            "C:\\win\\evil.txt": b"drive",
            "ok/fine.txt": b"fine",
        },
    )
    before = snapshot(tmp_path)
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["zip-slip.zip!/ok/fine.txt"]["status"] == "done"
    refused = {p: r for p, r in rows.items() if r["error_kind"] == "refused"}
    assert len(refused) == 3
    assert all(r["sha256"] is None for r in refused.values())
    assert any("traversal" in r["error"] for r in refused.values())
    # nothing was written outside the case: the files around the source are as they were
    assert not (tmp_path / "evil.txt").exists() and not (src.parent.parent / "evil.txt").exists()
    assert snapshot(tmp_path).keys() - before.keys() <= {
        str(p) for p in (tmp_path).rglob("*") if "case" in p.relative_to(tmp_path).parts[0]
    }


def test_symlink_and_device_members_are_refused(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with tarfile.open(src / "links.tar", "w") as tf:
        link = tarfile.TarInfo("etc-passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        hard = tarfile.TarInfo("hard")
        hard.type, hard.linkname = tarfile.LNKTYPE, "etc-passwd"
        tf.addfile(hard)
        dev = tarfile.TarInfo("dev")
        dev.type = tarfile.CHRTYPE
        tf.addfile(dev)
        data = b"regular"
        reg = tarfile.TarInfo("inner/reg.txt")
        reg.size = len(data)
        tf.addfile(reg, io.BytesIO(data))
    zi = zipfile.ZipInfo("zlink")
    zi.external_attr = 0o120777 << 16
    with zipfile.ZipFile(src / "zlink.zip", "w") as zf:
        zf.writestr(zi, "/etc/passwd")
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    for name in ("links.tar!/etc-passwd", "links.tar!/hard", "links.tar!/dev", "zlink.zip!/zlink"):
        assert rows[name]["error_kind"] == "refused", name
    assert rows["links.tar!/inner/reg.txt"]["status"] == "done"


def test_zip_bomb_stops_at_the_ratio_limit(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with zipfile.ZipFile(src / "bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for i in range(4):
            with zf.open(f"zeros{i}.bin", "w") as fh:
                for _ in range(16):
                    fh.write(bytes(1 << 20))
    case = make_case(ratio_floor_bytes=1 << 20, max_archive_ratio=100)
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["bomb.zip"]["status"] == "failed"
    assert rows["bomb.zip"]["x_error_kind"] == "limit"
    assert "max_archive_ratio" in rows["bomb.zip"]["x_error"]
    assert not list((Path(case.root) / "tmp").glob("**/*"))


def test_member_count_and_total_size_limits(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _zip(src / "many.zip", {f"f{i}.txt": b"x" * 100 for i in range(20)})
    case = make_case(max_archive_members=5, max_archive_bytes=10_000)
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["many.zip"]["x_error_kind"] == "limit"
    assert "max_archive_members" in rows["many.zip"]["x_error"]
    # what was read before the limit is kept
    assert len([p for p in rows if p.startswith("many.zip!/")]) == 5


def test_nested_archives_and_the_depth_limit(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    data = _zip(tmp_path / "l0.zip", {"deep.txt": "最深处".encode()}).read_bytes()
    for level in range(1, 5):
        data = _zip(tmp_path / f"l{level}.zip", {f"l{level - 1}.zip": data}).read_bytes()
    (src / "nest.zip").write_bytes(data)
    deep = "nest.zip!/l3.zip!/l2.zip!/l1.zip!/l0.zip!/deep.txt"
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows[deep]["status"] == "done"
    assert rows[deep]["parent"] == "nest.zip!/l3.zip!/l2.zip!/l1.zip!/l0.zip"
    shallow = make_case(max_archive_depth=3)
    run_ingest(shallow, src)
    rows = paths_of(shallow)
    assert rows["nest.zip!/l3.zip!/l2.zip!/l1.zip"]["x_error_kind"] == "limit"
    assert deep not in rows


def test_gbk_member_names_are_decoded(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    gbk = "人员名单.txt".encode("gbk")  # as Windows in China writes it: GBK, no UTF-8 flag
    placeholder = b"P" * len(gbk)
    with zipfile.ZipFile(src / "gbk.zip", "w") as zf:
        zf.writestr(placeholder.decode(), "名单")
    raw = (src / "gbk.zip").read_bytes().replace(placeholder, gbk)
    (src / "gbk.zip").write_bytes(raw)
    assert "人员名单".encode("gbk") in raw and "人员名单".encode() not in raw
    case = make_case()
    run_ingest(case, src)
    assert "gbk.zip!/人员名单.txt" in paths_of(case)


def test_encrypted_and_corrupt_members_are_recorded(
    make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _zip(
        src / "mixed.zip",
        {"secret.txt": b"secret", "plain.txt": b"plain text here", "bad.txt": b"AB" * 5000},
    )
    raw = bytearray((src / "mixed.zip").read_bytes())
    with zipfile.ZipFile(src / "mixed.zip") as zf:
        secret, bad = zf.getinfo("secret.txt"), zf.getinfo("bad.txt")
    raw[secret.header_offset + 6] |= 0x1  # local header: encrypted
    central = raw.find(b"PK\x01\x02\x14\x00\x14\x00", 0)
    while raw[central + 46 : central + 56] != b"secret.txt":
        central = raw.find(b"PK\x01\x02", central + 4)
    raw[central + 8] |= 0x1  # central directory: encrypted
    data_start = bad.header_offset + 30 + len("bad.txt")
    raw[data_start + 2] ^= 0xFF  # damage the compressed data of bad.txt
    (src / "mixed.zip").write_bytes(bytes(raw))
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["mixed.zip!/secret.txt"]["error_kind"] == "encrypted"
    assert rows["mixed.zip!/plain.txt"]["status"] == "done"
    assert rows["mixed.zip!/bad.txt"]["error_kind"] == "malformed"


def test_broken_archives_fail_cleanly(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    good = _zip(tmp_path / "g.zip", {"a.txt": b"a" * 1000}).read_bytes()
    (src / "truncated.zip").write_bytes(good[: len(good) // 2])
    (src / "garbage.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 100)
    (src / "empty.zip").write_bytes(b"")
    case = make_case()
    summary = run_ingest(case, src)
    rows = paths_of(case)
    assert rows["truncated.zip"]["status"] in ("failed", "unsupported")
    assert rows["garbage.7z"]["status"] == "failed"
    assert rows["garbage.7z"]["x_error_kind"] == "malformed"
    assert summary["run"]["read"] == 3
    assert not any(r["x_error_kind"] == "internal" for r in rows.values())


def test_7z_and_compressed_tar_members(make_case: Callable[..., Case], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with py7zr.SevenZipFile(src / "docs.7z", "w") as sz:
        sz.writestr("讲话稿内容", "speech/讲话.txt")
        sz.writestr("notes", "notes.txt")
    with tarfile.open(src / "photos.tar.gz", "w:gz") as tf:
        data = b"member of a gz tar"
        info = tarfile.TarInfo("a/b.txt")
        info.size, info.mtime = len(data), 1514764800
        tf.addfile(info, io.BytesIO(data))
    case = make_case()
    run_ingest(case, src)
    rows = paths_of(case)
    assert rows["docs.7z!/speech/讲话.txt"]["status"] == "done"
    assert rows["docs.7z!/notes.txt"]["parent"] == "docs.7z"
    assert rows["photos.tar.gz!/a/b.txt"]["member_modified"] == "2018-01-01T00:00:00Z"
