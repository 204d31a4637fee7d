"""Accepting a file: limits, type by content (not name), and metadata removal with mat2.

A file a person attaches is checked here before anything is encrypted or stored:
at most `MAX_ATTACHMENT_BYTES`, one of the allowed types as sniffed from its bytes, and
then cleaned by Debian's `mat2` (EXIF and GPS from photos, author and producer from PDFs
and office documents) in a private temporary directory, without a shell.

Cleaning is bounded (docs/operations.md, "Upload limits"): images over
WHISTLEDESK_MAX_IMAGE_PIXELS (read from the header) and PDFs over WHISTLEDESK_MAX_PDF_PAGES
(counted by Poppler) are refused before mat2 starts; mat2 itself runs in its own process
group with memory, CPU-time and wall-clock limits (`sandbox.run_bounded`), and all the
files of one request share one wall-clock budget, kept below the server's worker timeout.

A refused file raises `AttachmentRejected`, whose `message` can be shown to the person and
names the file (as the person's computer called it) with what to do; `str()` of the
exception, which a log line would print, leaves the name out.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, gettext_noop

from whistledesk.casefiles.limits import (
    Unmeasurable,
    image_size,
    max_image_pixels,
    max_pdf_pages,
    pdf_page_count,
)
from whistledesk.casefiles.sandbox import Bounds, OverLimit, run_bounded
from whistledesk.core.exceptions import DomainError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAT2 = "/usr/bin/mat2"
# Office files are zip archives: refuse ones that would expand absurdly (zip bombs).
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_FILENAME_CHARS = 150

ALLOWED_DESCRIPTION = gettext_noop(
    "a photo (JPEG or PNG), a PDF, a Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) "
    "document, or a plain text file"
)

# Sniffed type -> (content type, file extension).
TYPES: dict[str, tuple[str, str]] = {
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "pdf": ("application/pdf", ".pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
    "txt": ("text/plain", ".txt"),
}


class AttachmentRejected(DomainError):
    """A file we will not store. The message says why, in words for the person.

    `message` may name the file, for the page; `str(exc)` is `plain`, without the name,
    because exception text can end up in a log.
    """

    def __init__(self, message: str, *, field: str | None = None, plain: str = "") -> None:
        super().__init__(plain or message, field=field)
        self.message = message


@dataclass(frozen=True)
class UploadedAttachment:
    """A file as received. `filename` is only what the person's computer called it."""

    filename: str
    data: bytes

    @classmethod
    def from_upload(cls, upload: Any) -> UploadedAttachment:
        """From a Django UploadedFile, refusing an oversized one before reading it all."""
        name = getattr(upload, "name", "") or ""
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            raise _too_big()
        data = upload.read(MAX_ATTACHMENT_BYTES + 1)
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise _too_big()
        return cls(filename=name, data=data)


@dataclass(frozen=True)
class CleanAttachment:
    filename: str
    content_type: str
    data: bytes


# Messages never repeat the file's name: a name can identify someone, and an exception
# message can end up in a log.
def _too_big() -> AttachmentRejected:
    limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    return AttachmentRejected(
        gettext(
            "The file is larger than {limit} MB. Make it smaller or split it, then attach it again."
        ).format(limit=limit),
        field="attachments",
    )


def safe_filename(name: str) -> str:
    """Only the last path part, no control characters, a sensible length."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:MAX_FILENAME_CHARS] or "attachment"


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return None
            if sum(m.file_size for m in members) > MAX_ZIP_EXPANDED_BYTES:
                return None
            names = {m.filename for m in members}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
                if mimetype == TYPES["odt"][0].encode():
                    return "odt"
                return None
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_type(data: bytes) -> str | None:
    """The kind of file from its first bytes (and, for zips, its members), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data and _looks_like_text(data):
        return "txt"
    return None


def _env(tmp: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8"}


def _mat2_clean(data: bytes, kind: str, name: str, deadline: float) -> bytes:
    """Count a PDF's pages, then run mat2 on a copy of `data`, in a private directory."""
    extension = TYPES[kind][1]
    with tempfile.TemporaryDirectory(prefix="wd-mat2-") as tmp:
        os.chmod(tmp, 0o700)
        source = Path(tmp) / f"upload{extension}"
        source.write_bytes(data)
        try:
            if kind == "pdf":
                pages = pdf_page_count(str(source), cwd=tmp, env=_env(tmp), deadline=deadline)
                if pages > max_pdf_pages():
                    raise _too_many_pages(name, pages)
            result = run_bounded(
                [MAT2, "--", str(source)],
                bounds=Bounds.from_settings(),
                cwd=tmp,
                env=_env(tmp),
                deadline=deadline,
            )
        except OverLimit:
            raise _too_slow(name, kind) from None
        except (Unmeasurable, OSError):
            raise _unreadable(name) from None
        cleaned = Path(tmp) / f"upload.cleaned{extension}"
        if result.returncode != 0 or not cleaned.is_file():
            raise _unreadable(name)
        return cleaned.read_bytes()


def _unreadable(name: str) -> AttachmentRejected:
    return AttachmentRejected(
        gettext(
            "We could not read {name} to remove hidden details such as location or "
            "author. Check it opens on your device, or send {allowed} instead."
        ).format(name=name, allowed=gettext(ALLOWED_DESCRIPTION)),
        field="attachments",
        plain="unreadable file",
    )


def _too_many_pages(name: str, pages: int) -> AttachmentRejected:
    most = max_pdf_pages()
    return AttachmentRejected(
        gettext(
            "{name} has {pages:,} pages; the most we can take in one file is {most:,}. "
            "Split it into smaller files and upload each."
        ).format(name=name, pages=pages, most=most),
        field="attachments",
        plain=f"PDF of {pages} pages",
    )


def _too_many_pixels(name: str, kind: str, width: int, height: int) -> AttachmentRejected:
    most = max_image_pixels(kind) / 1_000_000
    return AttachmentRejected(
        (
            gettext(
                "{name} is {width:,} × {height:,} pixels ({megapixels:,.0f} megapixels); the "
                "most we can take is {most:,.0f} megapixels. Save a smaller copy (for example "
                "with your phone's or computer's resize or export option, or as a JPEG) and "
                "upload that."
            )
            if kind == "png"
            else gettext(
                "{name} is {width:,} × {height:,} pixels ({megapixels:,.0f} megapixels); the "
                "most we can take is {most:,.0f} megapixels. Save a smaller copy (for example "
                "with your phone's or computer's resize or export option) and upload that."
            )
        ).format(
            name=name, width=width, height=height, megapixels=width * height / 1_000_000, most=most
        ),
        field="attachments",
        plain=f"image of {width}x{height} pixels",
    )


def _too_slow(name: str, kind: str) -> AttachmentRejected:
    what = (
        gettext("Split it into smaller files and upload each.")
        if kind in {"pdf", "docx", "xlsx", "odt"}
        else gettext("Save a smaller copy and upload that.")
    )
    return AttachmentRejected(
        gettext(
            "{name} is too large or complex for us to remove its hidden details (such as "
            "location or author) in the time we allow."
        ).format(name=name)
        + " "
        + what,
        field="attachments",
        plain="file too slow to clean",
    )


def _deadline() -> float:
    return time.monotonic() + Bounds.from_settings().wall_seconds


def clean_attachment(
    upload: UploadedAttachment | CleanAttachment, *, deadline: float | None = None
) -> CleanAttachment:
    """Check limits and type, and strip metadata. Raises AttachmentRejected.

    A CleanAttachment (a file cleaned when it was uploaded, e.g. a draft's) is returned
    as it is. `deadline` (time.monotonic()) is the request's budget for cleaning.
    """
    if isinstance(upload, CleanAttachment):
        return upload
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise _too_big()
    if not upload.data:
        raise AttachmentRejected(gettext("The file is empty."), field="attachments")
    kind = sniff_type(upload.data)
    if kind is None:
        raise AttachmentRejected(
            gettext("The file is not a type we accept. Send {allowed}.").format(
                allowed=gettext(ALLOWED_DESCRIPTION)
            ),
            field="attachments",
        )
    content_type, extension = TYPES[kind]
    name = safe_filename(upload.filename)
    if kind in {"png", "jpeg"}:
        try:
            width, height = image_size(upload.data, kind)
        except Unmeasurable:
            raise _unreadable(name) from None
        if width * height > max_image_pixels(kind):
            raise _too_many_pixels(name, kind, width, height)
    # Plain text carries no metadata block for mat2 to remove.
    if kind == "txt":
        data = upload.data
    else:
        data = _mat2_clean(upload.data, kind, name, deadline or _deadline())
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in {extension, ".jpeg"}:
        # The name follows the content, so nobody opens a PDF saved as "photo.exe".
        name = f"{stem or name}{extension}"
    return CleanAttachment(filename=name, content_type=content_type, data=data)


def clean_attachments(
    uploads: Sequence[UploadedAttachment | CleanAttachment],
) -> list[CleanAttachment]:
    """Every file of one submission, or AttachmentRejected naming which one (by position).

    All the files share one wall-clock budget (WHISTLEDESK_CLEAN_WALL_SECONDS), so a
    request with several files still ends before the server's worker timeout.
    """
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRejected(
            f"You can attach up to {MAX_ATTACHMENTS} files at a time.", field="attachments"
        )
    deadline = _deadline()
    cleaned = []
    for position, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(clean_attachment(upload, deadline=deadline))
        except AttachmentRejected as exc:
            if len(uploads) == 1:
                raise
            raise AttachmentRejected(
                f"File {position} of {len(uploads)}: {exc.message}",
                field="attachments",
                plain=f"File {position} of {len(uploads)}: {exc}",
            ) from None
    return cleaned
