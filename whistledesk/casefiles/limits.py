"""What a file may be before we try to clean it: image pixels and PDF pages.

mat2 decodes a whole image into memory (4 bytes a pixel) and renders every PDF page at
200 dpi, so a small file can ask for gigabytes or minutes. Both are checked cheaply first:

- an image's width and height are read from its header (PNG's IHDR, JPEG's SOF segment),
  nothing decoded, in this process;
- a PDF's pages are counted by Poppler (the library mat2 itself uses), in a helper process
  under the same bounds as cleaning (`sandbox.run_bounded`) and a short deadline of its own.

The limits are settings (WHISTLEDESK_MAX_IMAGE_PIXELS, WHISTLEDESK_MAX_PNG_PIXELS,
WHISTLEDESK_MAX_PDF_PAGES), chosen
from what cleans in time on the reference machine: see bench/README.md.
"""

from __future__ import annotations

import struct
import time

from django.conf import settings

from whistledesk.casefiles.sandbox import Bounds, OverLimit, run_bounded

SYSTEM_PYTHON = "/usr/bin/python3"
# Counting pages reads the cross-reference table only: seconds at the very most.
PAGE_COUNT_SECONDS = 5.0
# Run by the system Python that mat2 runs on (Poppler's GObject bindings are a dependency
# of Debian's mat2 package), never by ours.
_COUNT_PAGES = (
    "import sys, gi\n"
    "gi.require_version('Poppler', '0.18')\n"
    "from gi.repository import Gio, Poppler\n"
    "uri = Gio.File.new_for_path(sys.argv[1]).get_uri()\n"
    "print(Poppler.Document.new_from_file(uri, None).get_n_pages())\n"
)
# JPEG start-of-frame markers (C0-CF less DHT C4, JPG C8 and DAC CC) carry the size.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class Unmeasurable(Exception):
    """The header or page count could not be read: the file is treated as unreadable."""


def max_image_pixels(kind: str) -> int:
    """PNG has its own, lower limit: mat2 re-encodes it with zlib, several times slower."""
    if kind == "png":
        return int(settings.WHISTLEDESK_MAX_PNG_PIXELS)
    return int(settings.WHISTLEDESK_MAX_IMAGE_PIXELS)


def max_pdf_pages() -> int:
    return int(settings.WHISTLEDESK_MAX_PDF_PAGES)


def image_size(data: bytes, kind: str) -> tuple[int, int]:
    """(width, height) from a PNG or JPEG header, without decoding. Raises Unmeasurable."""
    if kind == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise Unmeasurable("no IHDR")
        width, height = struct.unpack(">II", data[16:24])
    elif kind == "jpeg":
        width, height = _jpeg_size(data)
    else:
        raise Unmeasurable(kind)
    if width <= 0 or height <= 0:
        raise Unmeasurable("empty image")
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos, end = 2, len(data)
    while pos + 4 <= end:
        if data[pos] != 0xFF:
            raise Unmeasurable("bad marker")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length field
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header seen
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF:
            if pos + 9 > end:
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    raise Unmeasurable("no frame header")


def pdf_page_count(path: str, *, cwd: str, env: dict[str, str], deadline: float) -> int:
    """Pages in the PDF at `path`, counted by Poppler in a bounded helper.

    Raises Unmeasurable if Poppler cannot open it, OverLimit if counting ran out of time
    or memory.
    """
    bounds = Bounds.from_settings()
    finished = run_bounded(
        [SYSTEM_PYTHON, "-I", "-c", _COUNT_PAGES, path],
        bounds=bounds,
        cwd=cwd,
        env=env,
        deadline=min(deadline, time.monotonic() + PAGE_COUNT_SECONDS),
    )
    try:
        pages = int(finished.stdout.strip() or b"-1") if finished.returncode == 0 else -1
    except ValueError:
        pages = -1
    if pages < 0:
        raise Unmeasurable("Poppler could not open it")
    return pages


__all__ = [
    "OverLimit",
    "Unmeasurable",
    "image_size",
    "max_image_pixels",
    "max_pdf_pages",
    "pdf_page_count",
]
