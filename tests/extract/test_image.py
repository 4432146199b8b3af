"""The image extractor on the synthetic leak's photos and on small images built here.

Photos of the synthetic leak carry known truth (camera, serial, time, place, planted anomalies,
near-duplicates published elsewhere, scans of text); other formats and metadata blocks (PNG,
WebP, GIF, TIFF, HEIC; XMP history, IPTC, ICC, southern and western GPS) are made on the spot.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import struct
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import imagehash
import piexif
import pytest
from PIL import Image, ImageCms

from tests.conftest import CORPORA, paths_of, run_ingest
from veracity.case import Case, Limits
from veracity.extract import Extraction, Item, choose
from veracity.extract._ocr import available as ocr_available
from veracity.extract.image import ImageExtractor, read_image
from veracity.synth import SynthConfig, generate, reference_path, truth_path

SMALL = SynthConfig(seed=7, people=200, photos=40, documents=10)
LIMITS = Limits.from_settings()


def read(path: Path, scratch: Path, **kwargs: Any) -> Extraction:
    item = Item(path, path.name, "0" * 64, path.stat().st_size, "image/jpeg",
                path.suffix[1:].lower(), 0, scratch)  # fmt: skip
    return read_image(item, LIMITS, **kwargs)


def distance(a: str, b: str) -> int:
    return int(imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b))


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "leak"
    generate(out, SMALL)
    return out


@pytest.fixture(scope="module")
def truth(leak: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(truth_path(leak).read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def camp(
    leak: Path, truth: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Extraction]:
    scratch = tmp_path_factory.mktemp("scratch")
    return {r["path"]: read(leak / r["path"], scratch) for r in truth["camp_photos"]}


def test_camp_photos_read_as_the_truth_says(
    truth: dict[str, Any], camp: dict[str, Extraction]
) -> None:
    for record in truth["camp_photos"]:
        result = camp[record["path"]]
        meta = result.metadata
        assert result.error_kind is None, record["path"]
        assert (meta["camera_make"], meta["camera_model"], meta["camera_serial"]) == (
            record["make"], record["model"], record["serial"])  # fmt: skip
        assert meta["taken_at"] == record["taken_at"]
        assert meta["gps_time"] == record["gps_time"]
        for axis in ("lat", "lon", "alt"):
            assert meta["gps"][axis] == pytest.approx(record["gps"][axis], abs=1e-6)
        assert meta["software"] == record["software"]
        assert (meta["orientation"], meta["width"], meta["height"]) == (
            record["orientation"], record["width"], record["height"])  # fmt: skip
        assert meta["offset_time_original"] == "+08:00"
        assert meta["subsec_time_original"].isdigit()
        assert result.raw["ExifIFD"]["SerialNumber"] == record["serial"]
        assert result.raw["GPS"]["GPSLatitudeRef"] == "N"
        assert result.raw["Composite"]["GPSDateTime"].endswith("Z")


def test_thumbnail_is_kept_decodable_and_betrays_the_mismatch(
    truth: dict[str, Any], camp: dict[str, Extraction]
) -> None:
    mismatch = {a["path"] for a in truth["anomalies"] if a["kind"] == "photo_thumbnail_mismatch"}
    for path, result in camp.items():
        (derived,) = result.derived
        thumb = result.metadata["thumbnail"]
        data = derived.disk_path.read_bytes()
        assert derived.kind == "thumbnails" and derived.suffix == ".jpg"
        assert hashlib.sha256(data).hexdigest() == derived.sha256 == thumb["sha256"]
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            assert img.size == (thumb["width"], thumb["height"]) == (160, 120)
        gap = distance(thumb["phash"], result.metadata["phash"])
        assert gap >= 16 if path in mismatch else gap <= 6, (path, gap)


def test_quantization_tables_sign_each_camera_and_the_editor(
    truth: dict[str, Any], camp: dict[str, Extraction]
) -> None:
    edited = {a["path"] for a in truth["anomalies"] if a["kind"] == "photo_edited_software"}
    by_camera: dict[str, set[str]] = {}
    for record in truth["camp_photos"]:
        quant = camp[record["path"]].metadata["quantization"]
        assert len(quant["tables"]) == 2 and all(len(t) == 64 for t in quant["tables"])
        assert quant["is_standard"]  # Pillow scales libjpeg's tables, so quality is exact
        if record["path"] in edited:
            assert quant["quality"] == 80  # the synthetic "Photoshop" saves at 80
            continue
        by_camera.setdefault(record["serial"], set()).add(quant["sha256"])
    assert all(len(hashes) == 1 for hashes in by_camera.values())
    signatures = [next(iter(h)) for h in by_camera.values()]
    assert len(set(signatures)) == len(signatures) >= 2
    for path in edited:
        assert camp[path].metadata["quantization"]["sha256"] not in signatures


def test_perceptual_hash_pairs_near_duplicates_and_parts_strangers(
    leak: Path, truth: dict[str, Any], camp: dict[str, Extraction], tmp_path: Path
) -> None:
    for pair in truth["near_duplicates"]:
        ours = read(leak / pair["leak_path"], tmp_path).metadata["phash"]
        published = read(reference_path(leak) / pair["reference_path"], tmp_path)
        assert distance(ours, published.metadata["phash"]) <= 6, pair["transform"]
    hashes = [r.metadata["phash"] for r in camp.values()]
    assert min(distance(a, b) for a, b in itertools.combinations(hashes, 2)) >= 12


def test_headers_only_mode_decodes_no_pixels(
    truth: dict[str, Any], leak: Path, tmp_path: Path
) -> None:
    path = leak / truth["camp_photos"][0]["path"]
    fast = read(path, tmp_path, perceptual_hash=False).metadata
    assert "phash" not in fast and "phash" not in fast["thumbnail"]
    assert fast["camera_serial"] and fast["thumbnail"]["sha256"] and fast["quantization"]


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with chi_sim is not installed")
def test_scans_are_read_by_ocr(leak: Path, truth: dict[str, Any], tmp_path: Path) -> None:
    scans = [s for s in truth["scans"] if s["path"].endswith((".jpg", ".png"))]
    assert scans
    for scan in scans:
        result = read(leak / scan["path"], tmp_path)
        assert result.text is not None and result.language == "zh"
        assert result.pages[0].is_ocr and result.pages[0].number == 1
        squeeze = "".join
        ratio = SequenceMatcher(
            None, squeeze(result.text.split()), squeeze(scan["text"].split())
        ).ratio()
        assert ratio >= 0.8, (scan["path"], ratio)


def test_camera_photos_are_not_ocred(truth: dict[str, Any], camp: dict[str, Extraction]) -> None:
    assert all(r.text is None and not r.pages for r in camp.values())


# --- formats and metadata blocks built here ------------------------------------------------


def _exif(gps: dict[int, Any] | None = None) -> bytes:
    zeroth = {piexif.ImageIFD.Make: "Huawei", piexif.ImageIFD.Model: "P20",
              piexif.ImageIFD.Orientation: 1}  # fmt: skip
    dumped: bytes = piexif.dump({"0th": zeroth, "Exif": {}, "GPS": gps or {}})
    return dumped


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "HEIF", "GIF"])
def test_other_formats_give_size_and_exif(fmt: str, tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = tmp_path / f"picture.{fmt.lower()}"
    img = Image.new("RGB", (80, 48), (30, 120, 200))
    exif = Image.Exif()
    exif.load(_exif())
    if fmt == "GIF":
        img.save(path, fmt, comment=b"made by hand")
    else:
        img.save(path, fmt, exif=exif if fmt == "TIFF" else exif.tobytes())
    result = read(path, tmp_path)
    meta = result.metadata
    assert result.error_kind is None
    assert meta["format"] == ("HEIC" if fmt == "HEIF" else fmt)
    assert meta["width"] == 80 and meta["height"] in (48, 64)  # HEVC pads to its block size
    assert len(meta["phash"]) == 16
    if fmt == "GIF":
        assert result.raw["File"]["Comment"] == "made by hand"
    else:
        assert (meta["camera_make"], meta["camera_model"]) == ("Huawei", "P20")


def test_gps_south_west_and_below_sea_level(tmp_path: Path) -> None:
    g = piexif.GPSIFD
    gps = {
        g.GPSLatitudeRef: "S", g.GPSLatitude: ((33, 1), (52, 1), (3060, 100)),
        g.GPSLongitudeRef: "W", g.GPSLongitude: ((70, 1), (30, 1), (0, 1)),
        g.GPSAltitudeRef: 1, g.GPSAltitude: (125, 10),
        g.GPSDateStamp: "2019:03:04", g.GPSTimeStamp: ((23, 1), (5, 1), (725, 100)),
    }  # fmt: skip
    path = tmp_path / "south.jpg"
    Image.new("RGB", (32, 32)).save(path, "JPEG", exif=_exif(gps))
    meta = read(path, tmp_path).metadata
    assert meta["gps"]["lat"] == pytest.approx(-(33 + 52 / 60 + 30.6 / 3600), abs=1e-9)
    assert meta["gps"]["lon"] == pytest.approx(-70.5, abs=1e-9)
    assert meta["gps"]["alt"] == pytest.approx(-12.5)
    assert meta["gps_time"] == "2019-03-04T23:05:07.25Z"


_XMP = b"""<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 5.6">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
    xmp:CreatorTool="Adobe Photoshop CC 2017 (Windows)" xmp:ModifyDate="2018-05-21T12:54:42+08:00"
    xmpMM:DocumentID="xmp.did:1234">
   <xmpMM:History><rdf:Seq>
    <rdf:li stEvt:action="created" stEvt:when="2018-05-14T17:42:19+08:00"/>
    <rdf:li rdf:parseType="Resource"><stEvt:action>saved</stEvt:action>
     <stEvt:softwareAgent>Adobe Photoshop CC 2017 (Windows)</stEvt:softwareAgent></rdf:li>
   </rdf:Seq></xmpMM:History>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>"""


def _segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body


def _iptc() -> bytes:
    datasets = [(2, 25, "新疆".encode()), (2, 25, b"camp"), (2, 80, b"Staff photographer"),
                (2, 55, b"20180514")]  # fmt: skip
    iim = b"".join(struct.pack(">BBBH", 0x1C, r, d, len(v)) + v for r, d, v in datasets)
    resource = b"8BIM" + struct.pack(">HH", 0x0404, 0) + struct.pack(">I", len(iim)) + iim
    return b"Photoshop 3.0\0" + resource


def test_xmp_iptc_icc_and_jfif(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (40, 30), (90, 90, 90)).save(buffer, "JPEG", icc_profile=icc, quality=80)
    data = buffer.getvalue()
    extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + _XMP) + _segment(0xED, _iptc())
    path = tmp_path / "edited.jpg"
    path.write_bytes(data[:2] + extra + data[2:])
    result = read(path, tmp_path)
    meta, raw = result.metadata, result.raw
    assert meta["xmp"]["creator_tool"] == "Adobe Photoshop CC 2017 (Windows)"
    assert meta["xmp"]["document_id"] == "xmp.did:1234"
    assert meta["xmp"]["history"] == [
        {"action": "created", "when": "2018-05-14T17:42:19+08:00"},
        {"action": "saved", "software_agent": "Adobe Photoshop CC 2017 (Windows)"},
    ]
    assert raw["XMP-xmp"]["ModifyDate"] == "2018:05:21 12:54:42+08:00"  # as ExifTool shows it
    assert raw["XMP-xmpMM"]["HistoryAction"] == ["created", "saved"]
    assert raw["XMP-x"]["XMPToolkit"] == "Adobe XMP Core 5.6"
    assert raw["IPTC"]["Keywords"] == ["新疆", "camp"]
    assert raw["IPTC"]["DateCreated"] == "2018:05:14"
    assert meta["icc_description"] == "sRGB built-in"
    assert raw["ICC-header"]["ProfileFileSignature"] == "acsp"
    assert meta["jfif"]["version"] == "1.01"
    assert meta["quantization"]["quality"] == 80 and meta["quantization"]["is_standard"]
    assert "camera_make" not in meta and "taken_at" not in meta


@pytest.mark.skipif(not (CORPORA / "exif-samples").is_dir(), reason="shared corpora absent")
def test_orientation_is_undone_before_hashing(tmp_path: Path) -> None:
    """The corpus stores one picture eight ways with the matching Orientation tag each."""
    folder = CORPORA / "exif-samples" / "jpg" / "orientation"
    for shape in ("landscape", "portrait"):
        hashes = [
            read(folder / f"{shape}_{n}.jpg", tmp_path).metadata["phash"] for n in range(1, 9)
        ]
        assert max(distance(hashes[0], h) for h in hashes) <= 6, shape


def test_registry_and_match(tmp_path: Path) -> None:
    def item(mime: str, extension: str) -> Item:
        return Item(tmp_path / "x", "x", "0" * 64, 1, mime, extension, 0, tmp_path)

    assert isinstance(choose(item("image/jpeg", "jpg")), ImageExtractor)
    assert isinstance(choose(item("image/heic", "heic")), ImageExtractor)
    assert isinstance(choose(item("application/octet-stream", "jpg")), ImageExtractor)
    assert not isinstance(choose(item("text/plain", "jpg")), ImageExtractor)  # text is text


def test_ingest_keeps_thumbnail_and_metadata(
    leak: Path, truth: dict[str, Any], make_case: Callable[..., Case], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    record = truth["camp_photos"][0]
    (src / "photo.jpg").write_bytes((leak / record["path"]).read_bytes())
    case = make_case()
    run_ingest(case, src)
    row = paths_of(case)["photo.jpg"]
    assert row["status"] == "done"
    metadata = json.loads(row["metadata"]) if isinstance(row["metadata"], str) else row["metadata"]
    assert metadata["camera_serial"] == record["serial"]
    thumb = case.derived_dir / "thumbnails" / f"{metadata['thumbnail']['sha256']}.jpg"
    assert thumb.is_file()
