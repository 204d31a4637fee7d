"""Accepting a file: limits, type by content (not name), and metadata removal with mat2.

A file a person attaches is checked here before anything is encrypted or stored:
at most `MAX_ATTACHMENT_BYTES`, one of the allowed types as sniffed from its bytes, and
then cleaned by Debian's `mat2` (EXIF and GPS from photos, author and producer from PDFs
and office documents) in a private temporary directory, without a shell, with a timeout.
A refused file raises `AttachmentRejected`, whose message can be shown to the person.
"""

from __future__ import annotations

import io
import os
import subprocess  # noqa: S404 - mat2 is run without a shell, on a file we name ourselves
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whistledesk.core.exceptions import DomainError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAT2 = "/usr/bin/mat2"
MAT2_TIMEOUT_SECONDS = 60
# Office files are zip archives: refuse ones that would expand absurdly (zip bombs).
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_FILENAME_CHARS = 150

ALLOWED_DESCRIPTION = (
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
    """A file we will not store. The message says why, in words for the person."""


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
        f"The file is larger than {limit} MB. Make it smaller or split it, then attach it again.",
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


def _mat2_clean(data: bytes, extension: str) -> bytes:
    """Run mat2 on a copy of `data` in a private temporary directory; return the result."""
    with tempfile.TemporaryDirectory(prefix="wd-mat2-") as tmp:
        os.chmod(tmp, 0o700)
        source = Path(tmp) / f"upload{extension}"
        source.write_bytes(data)
        try:
            result = subprocess.run(  # noqa: S603 - fixed argv, no shell, our own file name
                [MAT2, "--", str(source)],
                cwd=tmp,
                capture_output=True,
                timeout=MAT2_TIMEOUT_SECONDS,
                check=False,
                env={"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8"},
            )
        except (subprocess.TimeoutExpired, OSError) as exc:
            raise _unreadable() from exc
        cleaned = Path(tmp) / f"upload.cleaned{extension}"
        if result.returncode != 0 or not cleaned.is_file():
            raise _unreadable()
        return cleaned.read_bytes()


def _unreadable() -> AttachmentRejected:
    return AttachmentRejected(
        "We could not read the file to remove hidden details such as location or "
        f"author. Check it opens on your device, or send {ALLOWED_DESCRIPTION} instead.",
        field="attachments",
    )


def clean_attachment(upload: UploadedAttachment) -> CleanAttachment:
    """Check limits and type, and strip metadata. Raises AttachmentRejected."""
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise _too_big()
    if not upload.data:
        raise AttachmentRejected("The file is empty.", field="attachments")
    kind = sniff_type(upload.data)
    if kind is None:
        raise AttachmentRejected(
            f"The file is not a type we accept. Send {ALLOWED_DESCRIPTION}.",
            field="attachments",
        )
    content_type, extension = TYPES[kind]
    # Plain text carries no metadata block for mat2 to remove.
    data = upload.data if kind == "txt" else _mat2_clean(upload.data, extension)
    name = safe_filename(upload.filename)
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in {extension, ".jpeg"}:
        # The name follows the content, so nobody opens a PDF saved as "photo.exe".
        name = f"{stem or name}{extension}"
    return CleanAttachment(filename=name, content_type=content_type, data=data)


def clean_attachments(uploads: Sequence[UploadedAttachment]) -> list[CleanAttachment]:
    """Every file of one submission, or AttachmentRejected naming which one (by position)."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRejected(
            f"You can attach up to {MAX_ATTACHMENTS} files at a time.", field="attachments"
        )
    cleaned = []
    for position, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(clean_attachment(upload))
        except AttachmentRejected as exc:
            if len(uploads) == 1:
                raise
            raise AttachmentRejected(
                f"File {position} of {len(uploads)}: {exc.message}", field="attachments"
            ) from None
    return cleaned
