"""Files: metadata removed by mat2, types judged by content, limits, stored encrypted."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.casefiles.conftest import private_key_of
from whistledesk.casefiles import services
from whistledesk.casefiles.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    AttachmentRejected,
    UploadedAttachment,
    clean_attachment,
    clean_attachments,
)
from whistledesk.casefiles.models import Attachment

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture is real
    return data


def pdf_with_author() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        b"4 0 obj << /Author (Ann Canary) /Creator (CanaryWriter) >> endobj\n"
        b"trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    )


def docx_with_creator() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxml'
            'formats-package.core-properties+xml"/></Types>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        z.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats'
            '.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
            'elements/1.1/"><dc:creator>Ann Canary</dc:creator></cp:coreProperties>',
        )
    return out.getvalue()


def test_photo_loses_its_gps_location() -> None:
    cleaned = clean_attachment(UploadedAttachment("IMG_0001.JPG", jpeg_with_gps()))
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.filename == "IMG_0001.JPG"
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.size == (32, 32)
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert b"CanaryCam" not in cleaned.data


def test_pdf_loses_its_author() -> None:
    original = pdf_with_author()
    assert b"Ann Canary" in original
    cleaned = clean_attachment(UploadedAttachment("report.pdf", original))
    assert cleaned.content_type == "application/pdf"
    assert cleaned.data.startswith(b"%PDF")
    assert b"Ann Canary" not in cleaned.data and b"CanaryWriter" not in cleaned.data


def test_word_document_loses_its_creator() -> None:
    cleaned = clean_attachment(UploadedAttachment("notes.docx", docx_with_creator()))
    assert cleaned.content_type.endswith("wordprocessingml.document")
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"Ann Canary" not in everything
    assert b"Hello" in everything


def test_png_loses_its_text_chunks() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ann Canary")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    assert b"Ann Canary" in out.getvalue()
    cleaned = clean_attachment(UploadedAttachment("screen.png", out.getvalue()))
    assert cleaned.content_type == "image/png"
    assert b"Ann Canary" not in cleaned.data
    assert Image.open(io.BytesIO(cleaned.data)).size == (8, 8)


def test_plain_text_is_accepted_as_is() -> None:
    cleaned = clean_attachment(
        UploadedAttachment("note.txt", "Dates: 1 May – 2 May, café\n".encode())
    )
    assert cleaned.content_type == "text/plain"
    assert cleaned.data.decode() == "Dates: 1 May – 2 May, café\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("run.exe", b"MZ\x90\x00" + bytes(range(256)) * 4),
        ("photo.jpg", b"GIF89a" + b"\x00" * 50),  # the name says JPEG, the bytes do not
        ("archive.zip", b"PK\x03\x04not really a zip"),
        ("page.html", b"\x00<html>"),
        ("empty.txt", b""),
    ],
)
def test_refused_types_say_what_is_accepted(name: str, data: bytes) -> None:
    with pytest.raises(AttachmentRejected) as exc:
        clean_attachment(UploadedAttachment(name, data))
    assert name not in exc.value.message  # a file name can identify someone
    assert exc.value.field == "attachments"


def test_a_pdf_mat2_cannot_read_is_refused() -> None:
    with pytest.raises(AttachmentRejected):
        clean_attachment(UploadedAttachment("broken.pdf", b"%PDF-1.4 garbage"))


def test_name_follows_the_content() -> None:
    cleaned = clean_attachment(UploadedAttachment("../../etc/evil.exe", pdf_with_author()))
    assert cleaned.filename == "evil.pdf"


def test_size_and_count_limits() -> None:
    big = SimpleUploadedFile("big.txt", b"a" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(AttachmentRejected, match="larger than 10 MB"):
        UploadedAttachment.from_upload(big)
    small = UploadedAttachment("a.txt", b"a")
    with pytest.raises(AttachmentRejected, match="up to 5 files"):
        clean_attachments([small] * (MAX_ATTACHMENTS + 1))
    with pytest.raises(AttachmentRejected, match="File 2 of 2"):
        clean_attachments([small, UploadedAttachment("b.bin", b"\x00\x01")])


def test_attachment_is_stored_encrypted_and_opens_for_staff(
    disclosure: Any, intake_officer: Any
) -> None:
    services.casefile_create(
        actor="public",
        disclosure=disclosure,
        documents={"narrative": "see photo"},
        attachments=[UploadedAttachment("Ann Canary at work.jpg", jpeg_with_gps())],
    )
    stored = Attachment.objects.get(disclosure=disclosure)
    assert b"Canary" not in bytes(stored.meta_ciphertext) + bytes(stored.ciphertext)
    key = private_key_of(intake_officer)
    opened = services.casefile_open(actor=intake_officer, disclosure=disclosure, private_key=key)
    assert [a.filename for a in opened.attachments] == ["Ann Canary at work.jpg"]
    name, content_type, data = services.attachment_open(
        actor=intake_officer, attachment=stored, private_key=key
    )
    assert (name, content_type) == ("Ann Canary at work.jpg", "image/jpeg")
    assert Image.open(io.BytesIO(data)).size == (32, 32)


def test_a_refused_file_stores_nothing(disclosure: Any, intake_officer: Any) -> None:
    with pytest.raises(AttachmentRejected):
        services.casefile_create(
            actor="public",
            disclosure=disclosure,
            documents={"narrative": "x"},
            attachments=[UploadedAttachment("x.exe", b"MZ\x00\x00")],
        )
    assert not Attachment.objects.exists()
