"""file_type_mismatch: a file whose content is of another type than its name says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from veracity.verify.base import Check, Finding
from veracity.verify.view import CaseView

#: What a name's extension promises: a family of formats. Names in one family are harmless
#: aliases of each other (.jpeg/.jpg, .tif/.tiff, .htm/.html, a CSV saved as .txt).
_EXTENSIONS = {
    "photo": ("jpg", "jpeg", "jpe", "jfif", "png", "gif", "tif", "tiff", "bmp", "webp",
              "heic", "heif"),
    "pdf": ("pdf",),
    "zip": ("zip", "docx", "xlsx", "pptx", "docm", "xlsm", "pptm", "odt", "ods", "odp",
            "jar", "apk", "epub", "kmz", "ofd"),
    "ole": ("doc", "xls", "ppt", "msg", "et", "wps", "dps", "vsd", "msi", "pub"),
    "text": ("txt", "csv", "tsv", "log", "json", "xml", "md", "htm", "html", "mht", "mhtml",
             "eml", "rtf", "ini", "cfg", "yaml", "yml", "svg"),
    "archive": ("7z", "rar", "gz", "tgz", "tar", "bz2", "xz"),
    "executable": ("exe", "dll", "com", "scr", "sys", "elf", "so", "bin"),
}  # fmt: skip
_FAMILY_OF_EXTENSION = {ext: family for family, exts in _EXTENSIONS.items() for ext in exts}
#: Within pictures, the format each extension names (a JPEG named .png is a curiosity: info).
_PICTURE_FORMATS = {
    "jpg": "jpeg", "jpeg": "jpeg", "jpe": "jpeg", "jfif": "jpeg", "png": "png", "gif": "gif",
    "tif": "tiff", "tiff": "tiff", "bmp": "bmp", "webp": "webp", "heic": "heif", "heif": "heif",
}  # fmt: skip
_PICTURE_MIMES = {
    "image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/tiff": "tiff",
    "image/bmp": "bmp", "image/x-ms-bmp": "bmp", "image/webp": "webp", "image/heic": "heif",
    "image/heif": "heif",
}  # fmt: skip

#: MIME types libmagic gives, by family; a type not listed says nothing either way.
_MIMES = {
    "pdf": ("application/pdf",),
    "zip": ("application/zip", "application/java-archive", "application/epub+zip",
            "application/vnd.openxmlformats-officedocument", "application/vnd.oasis.opendocument",
            "application/vnd.android.package-archive"),
    "ole": ("application/x-ole-storage", "application/cdfv2", "application/msword",
            "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.ms-outlook", "application/vnd.ms-office", "application/x-msi"),
    "text": ("text/", "message/rfc822", "application/json", "application/xml",
             "application/rtf", "multipart/related", "image/svg+xml"),
    "archive": ("application/x-7z-compressed", "application/x-rar", "application/vnd.rar",
                "application/gzip", "application/x-gzip", "application/x-tar",
                "application/x-bzip2", "application/x-xz"),
    "executable": ("application/x-dosexec", "application/x-executable",
                   "application/x-sharedlib", "application/x-pie-executable",
                   "application/x-mach-binary", "application/vnd.microsoft.portable-executable"),
    "photo": ("image/",),
}  # fmt: skip

#: Content behind a picture's or a PDF's name that is a warning, not a curiosity: something
#: that can carry other files or run (an archive, an executable), or a document posing as one.
_SERIOUS = frozenset({"archive", "executable", "zip", "ole", "pdf", "text"})
#: names under which an archive is no surprise (a .zip that is 7z, an .exe installer)
_CONTAINERS = frozenset({"zip", "archive", "executable"})


def family_of_mime(mime: str) -> str | None:
    """The family of a content's MIME type; None when the type says nothing (octet-stream)."""
    lowered = mime.lower()
    for family, prefixes in _MIMES.items():
        if any(lowered.startswith(prefix) for prefix in prefixes):
            return family
    return None


def family_of_name(path: str) -> str | None:
    """What a path's extension promises (the member's own name inside an archive)."""
    name = PurePosixPath(path.rsplit("!/", 1)[-1]).name
    if "." not in name:
        return None
    return _FAMILY_OF_EXTENSION.get(name.rsplit(".", 1)[1].lower())


class FileTypeMismatch(Check):
    """A path whose extension promises another type than the content's bytes are.

    A `.pdf` that is a zip or a `.jpg` that is an executable is how files are smuggled past
    a reader who trusts names: a warning, whenever an archive or an executable hides behind
    a name that is not an archive's, or a document, archive or program behind a picture's
    name, or anything but a PDF behind a PDF's. Other disagreements (a `.png` that is a JPEG,
    a `.doc` written by WordPerfect, an HTML table saved as `.xls`) are common and harmless in
    themselves: `info`.
    Aliases are nothing (.jpeg/.jpg, .tif/.tiff, .htm/.html, a CSV as .txt, a .docx as .zip).
    The type of the bytes is libmagic's; a content libmagic cannot name is never reported.
    """

    NAME = "file_type_mismatch"
    SCOPE = "collection"

    def run(self, view: CaseView) -> Iterator[Finding]:
        for item in view.files():
            content = family_of_mime(item.mime)
            if content is None:
                continue
            for path in item.paths:
                named = family_of_name(path)
                if named is None or (named == content and not _other_picture(path, item.mime)):
                    continue
                serious = (
                    (content in ("archive", "executable") and named not in _CONTAINERS)
                    or (named == "photo" and content in _SERIOUS)
                    or named == "pdf"
                )
                yield self.finding(
                    "warning" if serious else "info",
                    path,
                    None,
                    f"named as {named} ({PurePosixPath(path).suffix}) but the content is "
                    f"{content} ({item.mime})",
                    named=named,
                    content=content,
                    mime=item.mime,
                )


def _other_picture(path: str, mime: str) -> bool:
    """A picture of one format named as another (a JPEG as .png)."""
    suffix = PurePosixPath(path.rsplit("!/", 1)[-1]).suffix.lstrip(".").lower()
    named, content = _PICTURE_FORMATS.get(suffix), _PICTURE_MIMES.get(mime.lower())
    return named is not None and content is not None and named != content
