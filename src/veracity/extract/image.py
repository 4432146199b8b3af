"""Photos and other images: JPEG, PNG, TIFF, HEIC/HEIF, WebP and GIF.

Verification of a leaked photo rests on what it says about itself (camera body and serial,
time, place, the program that last saved it), on its embedded thumbnail (which editors often
forget to update), on its JPEG quantization tables (a signature of the camera or program) and on
a perceptual hash that finds the same picture published elsewhere. Metadata comes from the
header bytes only, read by our own bounded parsers (`_jpeg`, `_formats`, `_exif`, `_blocks`),
which is what makes it several times faster than ExifTool; pixels are decoded only for the
perceptual hash, in reduced (draft) mode, and never for an image over `max_image_pixels`.

`metadata` holds design.md's normalised fields; `raw` every tag in ExifTool's `-G1` groups.
"""

from __future__ import annotations

import functools
import io
import mmap
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image

from veracity.case import Limits
from veracity.errors import ExtractError, LimitExceeded, Malformed, UnsupportedFormat
from veracity.extract._blocks import photoshop_iptc, read_icc, read_iptc, read_xmp
from veracity.extract._exif import Exif, read_exif
from veracity.extract._formats import EXTENSIONS, MIME_TYPES, Header, read_header, sniff
from veracity.extract._jpeg import estimate_quality, quant_sha256, read_jpeg
from veracity.extract._language import detect_language
from veracity.extract._ocr import looks_like_text, ocr_image
from veracity.extract._photo import composite, normalise, xmp_summary
from veracity.extract.base import Derived, Extraction, Extractor, Item, Page, derive

#: pHash looks at a 32x32 reduction, so nothing is lost by decoding a JPEG at 1/8 of its size
#: (libjpeg's DCT scaling, luma only): the draft size asks for that, and every image is then
#: brought within HASH_SIZE before hashing, so copies at different resolutions meet.
DRAFT_SIZE = 128
HASH_SIZE = 512
#: Formats scans and screenshots come in; camera photos (with EXIF make or model) are never OCRed
_OCR_TYPES = frozenset({"JPEG", "PNG", "TIFF"})
#: PIL.Image.Transpose operations that undo each EXIF orientation
_TRANSPOSE = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}
#: What a broken file makes Pillow (or pillow-heif) raise while decoding
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError,
                  RuntimeError)  # fmt: skip


class ImageExtractor(Extractor):
    NAME = "image"
    MIME_TYPES = frozenset({*MIME_TYPES.values(), "image/heic-sequence", "image/heif-sequence"})
    EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "jfif", "png", "tif", "tiff", "heic", "heif",
                            "hif", "webp", "gif"})  # fmt: skip
    SCORE = 5

    @classmethod
    def match(cls, item: Item) -> int:
        # Unlike the default, a text file named .jpg is left to the text extractor (libmagic
        # could tell what it is); only content of no known type is claimed by its extension,
        # and reported as malformed when its first bytes match no image format.
        if item.mime in cls.MIME_TYPES:
            return cls.SCORE
        if item.mime == "application/octet-stream" and item.extension in cls.EXTENSIONS:
            return cls.SCORE - 1
        return -1

    def extract(self, item: Item, limits: Limits) -> Extraction:
        return read_image(item, limits)


def read_image(item: Item, limits: Limits, *, perceptual_hash: bool = True) -> Extraction:
    """Everything an image says about itself.

    `perceptual_hash=False` (for benchmarks only) reads the headers alone: no pixel is decoded,
    so neither the perceptual hashes nor OCR are done.

    A file that breaks after its header (truncated pixel data, a header claiming more pixels
    than `max_image_pixels`) gives a partial result: the metadata read, plus the error.
    """
    if item.size == 0:
        raise Malformed("empty file")
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels  # Pillow offers only this global
    with open(item.disk_path, "rb") as fh:
        file_type = sniff(fh.read(32))
        if file_type is None:
            raise Malformed("not an image: the content matches no image format")
        header = read_header(fh, item.size, file_type)
        exif, thumbnail = _exif(fh, header)
    raw, metadata, warnings_ = _describe(header, exif)
    derived: list[Derived] = []
    if thumbnail is not None:
        thumb = _thumbnail(item, thumbnail, metadata.get("orientation"), perceptual_hash)
        if thumb is not None:
            derived.append(thumb[0])
            metadata["thumbnail"] = thumb[1]
    # a broken structure is reported, but the pixels may still decode (a PNG without IEND)
    error: ExtractError | None = Malformed(header.error) if header.error else None
    pixels = int(metadata.get("width") or 0) * int(metadata.get("height") or 0)
    too_big = pixels > limits.max_image_pixels
    if too_big:
        error = LimitExceeded("max_image_pixels", pixels, limits.max_image_pixels)
    text: str | None = None
    if perceptual_hash and not too_big:
        try:
            metadata["phash"] = _phash(item.disk_path, file_type, metadata.get("orientation"))
            # a PDF's page images are OCRed with their page by the PDF extractor already
            if ".pdf!/" not in item.path.lower():
                text = _ocr(item.disk_path, file_type, metadata, limits)
        except ExtractError as exc:
            error = error or exc
    if warnings_:
        raw["Warnings"] = {"Warning": warnings_}
    return Extraction(
        text=text or None,
        metadata=metadata,
        raw=raw,
        derived=tuple(derived),
        error_kind=error.kind if error else None,
        error=str(error) if error else None,
        pages=(Page("page", 1, text, is_ocr=True),) if text else (),
        language=detect_language(text) if text else None,
    )


def _exif(fh: Any, header: Header) -> tuple[Exif | None, bytes | None]:
    """The EXIF structure and the IFD1 thumbnail's bytes (a TIFF file is mapped, not read)."""
    if header.file_type == "TIFF":
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                exif = read_exif(mapped)
                thumb = exif.thumbnail
                return exif, mapped[thumb[0] : thumb[0] + thumb[1]] if thumb else None
        except (OSError, ValueError) as exc:
            raise Malformed(f"unreadable TIFF: {exc}") from exc
    if header.exif is None:
        return None, None
    try:
        exif = read_exif(header.exif)
    except Malformed as exc:
        header.warnings.append(str(exc))
        return None, None
    thumb = exif.thumbnail
    return exif, header.exif[thumb[0] : thumb[0] + thumb[1]] if thumb else None


def _describe(
    header: Header, exif: Exif | None
) -> tuple[dict[str, dict[str, Any]], dict[str, Any], list[str]]:
    """(raw groups, normalised metadata, warnings) of a header and its EXIF."""
    notes = list(header.warnings)
    file_group = {
        "FileType": header.file_type,
        "FileTypeExtension": EXTENSIONS.get(header.file_type, header.file_type),
        "MIMEType": MIME_TYPES[header.file_type],
    }
    raw: dict[str, dict[str, Any]] = {"File": file_group}
    for name, group in header.groups.items():
        if group:
            raw.setdefault(name, {}).update(group)
    xmp, icc, photoshop = header.xmp, header.icc, header.photoshop
    if exif is not None:
        file_group["ExifByteOrder"] = exif.byte_order
        raw.update((name, group) for name, group in exif.groups.items() if group)
        _file_offsets(raw, header)
        notes += exif.warnings
        xmp = xmp or exif.blobs.get(0x02BC)
        icc = icc or exif.blobs.get(0x8773)
        photoshop = photoshop or exif.blobs.get(0x8649)
    iptc = header.iptc or (photoshop_iptc(photoshop) if photoshop else None)
    if iptc is None and exif is not None:
        iptc = exif.blobs.get(0x83BB)
    properties: dict[str, Any] = {}
    if xmp:
        try:
            groups, properties = read_xmp(xmp)
            raw.update(groups)
        except Malformed as exc:
            notes.append(str(exc))
    if iptc:
        raw["IPTC"] = read_iptc(iptc)
    if icc:
        raw.update(read_icc(icc))
    width, height = header.width, header.height
    if header.file_type == "TIFF":
        width, height = (
            _int(raw.get("IFD0", {}).get("ImageWidth")),
            _int(raw.get("IFD0", {}).get("ImageHeight")),
        )
    elif header.file_type in ("JPEG", "HEIC", "HEIF") and width is not None:
        raw["File"].update({"ImageWidth": width, "ImageHeight": height})
    raw["Composite"] = composite(raw, width, height)
    metadata = normalise(raw, width, height)
    _extras(metadata, header, raw, properties)
    return {k: v for k, v in raw.items() if v}, metadata, notes


def _file_offsets(raw: dict[str, dict[str, Any]], header: Header) -> None:
    """ExifTool gives the thumbnail's offset in the file, not in the EXIF block."""
    ifd1 = raw.get("IFD1", {})
    for name in ("ThumbnailOffset", "StripOffsets"):
        offset = _int(ifd1.get(name))
        if header.jpeg is not None and offset is not None:
            ifd1[name] = offset + header.jpeg.exif_offset


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _extras(
    metadata: dict[str, Any], header: Header, raw: dict[str, Any], properties: dict[str, Any]
) -> None:
    """Quantization tables, JFIF, ICC description and XMP history."""
    jpeg = header.jpeg
    if jpeg is not None and jpeg.quant:
        tables = [list(jpeg.quant[k]) for k in sorted(jpeg.quant)]
        quality, is_standard = estimate_quality(jpeg.quant[min(jpeg.quant)])
        metadata["quantization"] = {
            "tables": tables,
            "sha256": quant_sha256(jpeg.quant),
            "quality": quality,
            "is_standard": is_standard,
        }
    if jpeg is not None and jpeg.jfif:
        metadata["jfif"] = dict(jpeg.jfif)
    description = raw.get("ICC_Profile", {}).get("ProfileDescription")
    if isinstance(description, str) and description.strip():
        metadata["icc_description"] = description.strip()
    summary = xmp_summary(properties)
    if summary:
        metadata["xmp"] = summary
    metadata["format"] = header.file_type


def _thumbnail(
    item: Item, data: bytes, orientation: Any, perceptual_hash: bool
) -> tuple[Derived, dict[str, Any]] | None:
    """Keep the EXIF thumbnail as a derived file; its sha256, size and perceptual hash."""
    if not data.startswith(b"\xff\xd8"):
        return None
    try:
        info = read_jpeg(io.BytesIO(data))
    except Malformed:
        return None
    derived = derive(item, "thumbnails", data, ".jpg")
    out: dict[str, Any] = {"sha256": derived.sha256, "width": info.width, "height": info.height}
    if perceptual_hash:
        try:
            with _pillow_guard(), Image.open(io.BytesIO(data)) as img:
                out["phash"] = _hash(_upright(img.convert("L"), orientation))
        except (ExtractError, *_DECODE_ERRORS):
            out["phash"] = None
    return derived, out


@contextmanager
def _pillow_guard() -> Iterator[None]:
    """Pillow's decompression-bomb warning and error as `LimitExceeded`; its other warnings
    (a broken EXIF block it reads for the DPI, …) silenced: our own readers report those."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            claimed = re.search(r"\((\d+) pixels\)", str(exc))
            pixels = int(claimed.group(1)) if claimed else 0
            raise LimitExceeded("max_image_pixels", pixels, Image.MAX_IMAGE_PIXELS or 0) from exc


def _phash(path: Path, file_type: str, orientation: Any) -> str:
    """imagehash's pHash of the decoded picture, upright, reduced into HASH_SIZE first."""
    if file_type in ("HEIC", "HEIF"):
        _register_heif()
    try:
        with _pillow_guard(), Image.open(path) as img:
            if file_type == "JPEG":  # DCT scaling: 1/2 to 1/8 of the size, luma only
                img.draft("L", (DRAFT_SIZE, DRAFT_SIZE))
            img.load()
            small = img if max(img.size) <= HASH_SIZE else img.copy()
            small.thumbnail((HASH_SIZE, HASH_SIZE), Image.Resampling.BILINEAR)
            if small.mode != "L":
                small = small.convert("L")
    except _DECODE_ERRORS as exc:
        raise Malformed(f"unreadable image data: {exc}") from exc
    if file_type in ("HEIC", "HEIF"):
        orientation = None  # libheif has turned the picture already (its `irot`)
    return _hash(_upright(small, orientation))


def _ocr(path: Path, file_type: str, metadata: dict[str, Any], limits: Limits) -> str | None:
    """The text of a scan or screenshot: an image without camera EXIF that looks like text."""
    if file_type not in _OCR_TYPES or not limits.ocr:
        return None
    if "camera_make" in metadata or "camera_model" in metadata:
        return None
    try:
        with _pillow_guard(), Image.open(path) as img:
            if file_type == "JPEG":
                img.draft("L", (1024, 1024))
            if not looks_like_text(img):
                return None
    except _DECODE_ERRORS:
        return None
    text = ocr_image(path, limits)
    return text[: limits.max_text_chars] if text else None


def _upright(img: Image.Image, orientation: Any) -> Image.Image:
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return img if method is None else img.transpose(Image.Transpose(method))


def _hash(img: Image.Image) -> str:
    import imagehash  # deferred: scipy is slow to import and only hashing needs it

    return str(imagehash.phash(img))


@functools.cache
def _register_heif() -> None:
    try:
        import pillow_heif
    except ImportError as exc:  # pinned in the dependencies; a broken install is explicit
        raise UnsupportedFormat("HEIC decoding needs pillow-heif") from exc
    pillow_heif.register_heif_opener()
