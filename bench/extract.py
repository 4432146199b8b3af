"""All extraction benchmarks of the issue, each against its peer in the same run.

- photos: metadata (EXIF, GPS, thumbnail) vs `exiftool -j -n -r`, with and without the
  perceptual hash (`bench/extract_photos.py`);
- documents: text from 1,000 docx/pptx/pdf files, files/s and MB/s, vs python-docx and
  `pdftotext` (`bench/extract_documents.py`);
- spreadsheets: a 1,000,000-row xlsx streamed, time and peak memory vs openpyxl read-only
  (`bench/extract_sheets.py`).

Usage: python bench/extract.py [photos] [documents] [sheets]   (default: all)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = {
    "photos": "extract_photos.py",
    "documents": "extract_documents.py",
    "sheets": "extract_sheets.py",
}


def main() -> None:
    wanted = sys.argv[1:] or list(PARTS)
    failed = []
    for name in wanted:
        script = HERE / PARTS[name]
        print(f"== {name} ({script.name})", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
