"""Bounded work for every upload: pixel and page limits first, mat2 under limits, no orphans.

Real files, real mat2, real processes: a 20000 x 20000 PNG (48 KB on disk), a 400-page
PDF, a PDF that takes mat2 longer than a (lowered) time limit. Each ends in a message that
names the file and says what to do, through the pages a whistleblower and staff use.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bench.uploads import text_pdf
from tests.casefiles.test_attachments import GPS_IFD, jpeg_with_gps
from whistledesk.casefiles.attachments import UploadedAttachment, clean_attachment
from whistledesk.cases.models import Disclosure
from whistledesk.intake.models import DraftFile

pytestmark = pytest.mark.django_db


def huge_png() -> bytes:
    """20000 x 20000 pixels, one bit each, all white: about 50 KB on disk, 1.6 GB decoded."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000), 1).save(out, "PNG")
    return out.getvalue()


def _upload(client: Any, name: str, data: bytes, action: str = "upload") -> Any:
    f = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post("/report/files/", {"action": action, "file": f})


def _error(response: Any) -> str:
    body = response.content.decode()
    assert "There is a problem" in body
    return body


def _processes_mentioning(marker: str) -> list[str]:
    """Live (not zombie) processes whose command line contains `marker`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in cmdline and state != "Z":
            found.append(f"{pid} {state} {cmdline[:120]}")
    return found


def test_a_huge_image_is_refused_from_its_header_quickly(walked: Any) -> None:
    # Given a 20000 x 20000 PNG, small on disk
    data = huge_png()
    assert len(data) < 100_000
    # When it is uploaded on the public form
    started = time.monotonic()
    response = _upload(walked, "site-plan.png", data)
    took = time.monotonic() - started
    # Then it is refused at once, naming the file, the size and what to do; nothing stored
    assert response.status_code == 400
    body = _error(response)
    assert "site-plan.png is 20,000 × 20,000 pixels (400 megapixels)" in body
    assert "the most we can take is 16 megapixels" in body
    assert "Save a smaller copy" in body
    assert took < 2, f"refusal took {took:.1f} s: the image was decoded"
    assert not DraftFile.objects.exists()


def test_a_pdf_with_too_many_pages_is_refused_before_cleaning(walked: Any) -> None:
    # Given a 400-page PDF (about 100 KB): mat2 would take minutes over it
    data = text_pdf(400, lines=1)
    started = time.monotonic()
    response = _upload(walked, "report.pdf", data)
    took = time.monotonic() - started
    # Then it is refused with the page count and the limit, and told to split it
    assert response.status_code == 400
    body = _error(response)
    assert (
        "report.pdf has 400 pages; the most we can take in one file is 30. "
        "Split it into smaller files and upload each." in body
    )
    assert took < 5, f"refusal took {took:.1f} s: the PDF was cleaned, not counted"
    assert not DraftFile.objects.exists()


def test_cleaning_past_the_time_limit_ends_with_a_message_and_no_process_left(
    walked: Any, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    # Given a time limit lowered to 1 s and a PDF within the page limit that mat2 needs
    # several seconds for; mat2's working directory is under a path unique to this test
    settings.WHISTLEDESK_CLEAN_WALL_SECONDS = 1
    marker = str(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", marker)
    # When it is uploaded
    started = time.monotonic()
    response = _upload(walked, "minutes.pdf", text_pdf(25))
    took = time.monotonic() - started
    # Then the person is told the file is too large to clean in time, and what to do
    assert response.status_code == 400
    body = _error(response)
    assert "minutes.pdf is too large or complex for us to remove its hidden details" in body
    assert "Split it into smaller files and upload each." in body
    assert took < 5, f"the request took {took:.1f} s: the time limit was not enforced"
    # And no mat2 process (nor its pool workers) is left running
    assert _processes_mentioning(marker) == []
    assert not DraftFile.objects.exists()


def test_an_image_over_the_memory_limit_is_refused_with_a_message(
    walked: Any, settings: Any
) -> None:
    # Given a memory limit far below what decoding this image needs (12 MP: ~48 MB)
    settings.WHISTLEDESK_CLEAN_MEMORY_MB = 40
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 30)).save(out, "JPEG")
    # When it is uploaded
    response = _upload(walked, "big.jpg", out.getvalue())
    # Then it is refused with a message naming it, not a server error
    assert response.status_code == 400
    assert "big.jpg" in _error(response)
    assert not DraftFile.objects.exists()


def test_a_normal_photo_still_cleans(walked: Any) -> None:
    # Given a photo with a camera make and GPS position, within every limit
    cleaned = clean_attachment(UploadedAttachment(filename="ward.jpg", data=jpeg_with_gps()))
    exif = Image.open(io.BytesIO(cleaned.data)).getexif()
    assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif
    # And through the page it is accepted
    response = _upload(walked, "ward.jpg", jpeg_with_gps())
    assert response.status_code == 302
    assert DraftFile.objects.count() == 1


def test_a_pdf_at_the_page_limit_cleans_and_its_author_is_removed(settings: Any) -> None:
    settings.WHISTLEDESK_MAX_PDF_PAGES = 3
    cleaned = clean_attachment(UploadedAttachment(filename="a.pdf", data=text_pdf(3, lines=5)))
    assert cleaned.content_type == "application/pdf"
    assert b"Bench Author" not in cleaned.data


def test_the_limit_message_never_reaches_str_of_the_exception(settings: Any) -> None:
    # str(exc) is what a log line would print: it must not carry the person's file name
    from whistledesk.casefiles.attachments import AttachmentRejected

    with pytest.raises(AttachmentRejected) as caught:
        clean_attachment(UploadedAttachment(filename="Jane Smith.png", data=huge_png()))
    assert "Jane Smith" in caught.value.message
    assert "Jane Smith" not in str(caught.value)


def test_staff_scans_over_the_limits_get_the_message(
    officer_client: Any, organisation: Any
) -> None:
    # Given an intake officer recording a letter with a huge scan
    client = officer_client
    scan = SimpleUploadedFile("scan-page-1.png", huge_png(), "image/png")
    response = client.post(
        "/staff/record/letter/",
        {"received_on": "2023-01-05", "sender_name": "Pat Writer", "scans": [scan]},
    )
    # Then the form says what is wrong with which file; nothing is recorded
    assert response.status_code == 200
    assert "scan-page-1.png is 20,000 × 20,000 pixels" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_staff_tribunal_claim_with_a_long_pdf_gets_the_message(
    officer_client: Any, organisation: Any
) -> None:
    client = officer_client
    et1 = SimpleUploadedFile("ET1 bundle.pdf", text_pdf(120, lines=1), "application/pdf")
    response = client.post(
        "/staff/record/tribunal/",
        {
            "received_on": "2023-01-05",
            "claim_reference": "6001234/2023",
            "consent_to_forwarding": "on",
            "claimant_name": "A Claimant",
            "et1": et1,
        },
    )
    assert response.status_code == 200
    assert "ET1 bundle.pdf has 120 pages; the most we can take in one file is 30" in (
        response.content.decode()
    )
    assert not Disclosure.objects.exists()


# -- Continue with a file chosen but not uploaded (JavaScript off) -------------------------


def test_continue_with_a_chosen_file_uploads_it(walked: Any) -> None:
    # Given a person who chose a file and pressed Continue instead of "Upload file"
    response = _upload(walked, "ward.jpg", jpeg_with_gps(), action="continue")
    # Then the file is uploaded and they go on to check their answers, where it is listed
    assert response.status_code == 302
    assert response["Location"] == "/report/check/"
    assert DraftFile.objects.count() == 1
    page = walked.get("/report/check/").content.decode()
    assert "ward.jpg" in page
    assert "Your file has been added" in page


def test_continue_with_a_refused_file_stays_and_says_why(walked: Any) -> None:
    response = _upload(walked, "tool.exe", b"MZ\x90\x00" + bytes(100), action="continue")
    assert response.status_code == 400
    assert "The file is not a type we accept" in _error(response)
    assert not DraftFile.objects.exists()


def test_the_continue_button_is_in_the_form_with_the_file(walked: Any) -> None:
    # The browser sends a file only with the form it is in: Continue must share it.
    page = walked.get("/report/files/").content.decode()
    form = page[page.index('enctype="multipart/form-data"') :]
    form = form[: form.index("</form>")]
    assert 'type="file"' in form
    assert 'name="action" value="continue"' in form


def test_a_jpeg_over_its_pixel_limit_is_refused_from_its_frame_header(
    walked: Any, settings: Any
) -> None:
    # The JPEG limit (100 MP by default) lowered to below this 32 x 32 photo
    settings.WHISTLEDESK_MAX_IMAGE_PIXELS = 1000
    response = _upload(walked, "ward.jpg", jpeg_with_gps())
    assert response.status_code == 400
    assert "ward.jpg is 32 × 32 pixels" in _error(response)
    assert not DraftFile.objects.exists()
