"""How big a PDF and an image can be cleaned in time: mat2's time and peak memory by size.

    .venv/bin/python bench/uploads.py [--pages 10,40] [--jpeg-megapixels 12,50] [--png-megapixels 4]

Generates text PDFs of increasing page counts (A4, 60 lines of text a page, the Helvetica
base font) and PNG and JPEG photos-like images of increasing size, then cleans each with
`whistledesk.casefiles.attachments.clean_attachment` exactly as an upload is cleaned, with
the page and pixel limits lifted and the time limit raised to 300 s so the real cost shows.
Each file is cleaned in a fresh child process; the figures are its wall-clock time and the
peak resident memory of the cleaning processes (mat2 and its worker: the child's
RUSAGE_CHILDREN maxrss). Compare with WHISTLEDESK_CLEAN_WALL_SECONDS (20 s) and
WHISTLEDESK_CLEAN_MEMORY_MB: see bench/README.md for the figures on the reference machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def text_pdf(pages: int, lines: int = 60) -> bytes:
    """A valid PDF of `pages` A4 pages of text (with an xref table), made by hand."""
    rnd = random.Random(pages)
    words = ["the", "of", "and", "to", "in", "council", "report", "child", "safeguarding"]
    words += ["care", "home", "staff", "visit", "inspection", "concern", "manager"]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Author (Bench Author) /Creator (bench/uploads.py) >>",
    ]
    kids = []
    for _ in range(pages):
        text = ["BT /F1 10 Tf 50 800 Td 12 TL"]
        for _ in range(lines):
            line = " ".join(rnd.choice(words) for _ in range(14))
            text.append(f"({line}) '")
        text.append("ET")
        stream = zlib.compress("\n".join(text).encode())
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        pages,
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer << /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def photo(megapixels: float, kind: str) -> bytes:
    """A photo-like image (smooth gradients plus noise) of about `megapixels`, 4:3."""
    from PIL import Image, ImageFilter

    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    small = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 60).convert("RGB")
    image = small.resize((width, height), Image.Resampling.BILINEAR)
    image = image.filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    if kind == "jpeg":
        image.save(out, "JPEG", quality=85)
    else:
        image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def clean_one(path: str) -> None:
    """Child: clean one file as an upload is cleaned and print a JSON line of figures."""
    import resource
    import time

    os.environ["DJANGO_SETTINGS_MODULE"] = "whistledesk.config.settings.test"
    os.environ.update(
        WHISTLEDESK_CLEAN_WALL_SECONDS="300",
        WHISTLEDESK_CLEAN_CPU_SECONDS="300",
        WHISTLEDESK_CLEAN_MEMORY_MB="8192",
        WHISTLEDESK_MAX_IMAGE_PIXELS=str(10**12),
        WHISTLEDESK_MAX_PDF_PAGES=str(10**6),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from whistledesk.casefiles.attachments import (
        AttachmentRejected,
        UploadedAttachment,
        clean_attachment,
    )

    data = Path(path).read_bytes()
    t0 = time.perf_counter()
    try:
        clean_attachment(UploadedAttachment(filename=Path(path).name, data=data))
        outcome = "cleaned"
    except AttachmentRejected as exc:
        outcome = f"refused: {exc}"
    took = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": took, "peak_mb": peak_kb / 1024, "outcome": outcome}))


def measure(label: str, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench{suffix}"
        path.write_bytes(data)
        done = subprocess.run(  # noqa: S603 - this script, our own temporary file
            [sys.executable, __file__, "--one", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{label:<28} {len(data) / 1e6:7.2f} MB  {figures['seconds']:7.2f} s  "
        f"peak {figures['peak_mb']:7.0f} MB  {figures['outcome']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="10,20,40,60,80")
    parser.add_argument("--jpeg-megapixels", default="12,25,50,75,100")
    parser.add_argument("--png-megapixels", default="4,8,12,16,24")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        clean_one(args.one)
        return
    print(f"{'file':<28} {'size':>10}  {'clean':>9}  {'peak RSS':>12}")
    for pages in [int(p) for p in args.pages.split(",") if p]:
        measure(f"PDF, {pages} text pages", text_pdf(pages), ".pdf")
    for kind, sizes in (("jpeg", args.jpeg_megapixels), ("png", args.png_megapixels)):
        for mp in [float(m) for m in sizes.split(",") if m]:
            measure(f"{kind.upper()}, {mp:g} megapixels", photo(mp, kind), f".{kind}")


if __name__ == "__main__":
    main()
