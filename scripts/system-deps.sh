#!/usr/bin/env bash
# Debian packages veracity and its tests need; installs the missing ones when run as root.
#   libmagic1            content type detection (python-magic)
#   fonts-wqy-microhei   a CJK font: `veracity synth` draws Chinese text into scanned pages
#   libimage-exiftool-perl  ExifTool, the oracle the photo tests compare against
#   poppler-utils        pdftotext, an independent reader of the PDFs synth writes (tests)
#   tesseract-ocr (+ chi-sim, chi-tra, uig, eng)  OCR of scans and text-less PDF pages
#   antiword, catdoc     text of legacy Word, PowerPoint and Excel files (subprocesses, GPL)
#   postgresql           a server the tests start on a Unix socket to run the store on PostgreSQL
#   openjdk-17-jre-headless  Java for the Spark linking backend (tests; optional at run time)
#   chromium             a real browser the tests open the HTML report in, offline
#   ripgrep              rg, the peer bench/search.py times the search index against
#   libicu-dev, pkg-config, g++  to build PyICU, which followthemoney (FtM exports) needs
set -euo pipefail
packages=(libmagic1 fonts-wqy-microhei libimage-exiftool-perl poppler-utils
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-uig tesseract-ocr-eng
  antiword catdoc postgresql openjdk-17-jre-headless chromium ripgrep
  libicu-dev pkg-config g++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "veracity needs these Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
else SUDO=""; fi
echo "installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
