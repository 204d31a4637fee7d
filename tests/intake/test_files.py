"""Attachments on the public form: limits before reading, clear refusals, metadata removed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.casefiles.test_attachments import GPS_IFD, jpeg_with_gps, pdf_with_author
from tests.intake.conftest import CANARY_SENTENCE
from whistledesk.casefiles.models import Attachment
from whistledesk.intake.models import DraftFile
from whistledesk.intake.uploads import MAX_BODY_BYTES

pytestmark = pytest.mark.django_db


def _upload(client: Any, name: str, data: bytes, content_type: str = "") -> Any:
    f = SimpleUploadedFile(name, data, content_type=content_type or "application/octet-stream")
    return client.post("/report/files/", {"action": "upload", "file": f})


def test_file_added_listed_and_removable(walked: Any) -> None:
    response = _upload(walked, "photo.jpg", jpeg_with_gps(), "image/jpeg")
    assert response["Location"] == "/report/files/"
    page = walked.get("/report/files/").content.decode()
    assert "photo.jpg" in page
    assert "Your file has been added" in page
    assert DraftFile.objects.count() == 1
    # The draft row is ciphertext: no JPEG header in clear
    assert not bytes(DraftFile.objects.get().sealed).startswith(b"\xff\xd8\xff")
    file_id = str(DraftFile.objects.get().id)
    walked.post("/report/files/", {"action": "remove", "file_id": file_id})
    assert "photo.jpg" not in walked.get("/report/files/").content.decode()
    assert not DraftFile.objects.exists()


def test_refused_type_is_explained_and_answers_kept(walked: Any) -> None:
    response = _upload(walked, "tool.exe", b"MZ\x90\x00\x03" + bytes(200))
    body = response.content.decode()
    assert response.status_code == 400
    assert "The file is not a type we accept" in body
    assert "There is a problem" in body
    assert not DraftFile.objects.exists()
    assert CANARY_SENTENCE in walked.get("/report/check/").content.decode()


def test_oversized_body_refused_from_content_length(walked: Any) -> None:
    # Given a request that declares a body over the cap
    # When it is posted (the declared length is all the server looks at)
    response = walked.post(
        "/report/files/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(MAX_BODY_BYTES + 1),
    )
    # Then it is refused with a clear message, and nothing was stored
    assert response.status_code == 413
    assert "The selected file must be smaller than 10 MB" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_oversized_file_in_a_small_enough_body_is_refused(walked: Any, monkeypatch: Any) -> None:
    from whistledesk.intake import uploads

    # A lower cap stands in for 10 MB so the test does not push 10 MB through the client.
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    response = _upload(walked, "notes.txt", b"a" * 5000, "text/plain")
    assert response.status_code == 413
    assert "must be smaller than 10 MB" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_sixth_file_refused(walked: Any) -> None:
    for i in range(5):
        assert _upload(walked, f"n{i}.txt", b"note", "text/plain").status_code == 302
    page = walked.get("/report/files/").content.decode()
    assert 'type="file"' not in page  # the upload control goes once the limit is reached
    response = _upload(walked, "n6.txt", b"note", "text/plain")
    assert response.status_code == 400
    assert "You can add up to 5 files" in response.content.decode()


def test_submitted_files_are_cleaned_and_sealed(walked: Any, make_staff: Any) -> None:
    from tests.casefiles.conftest import private_key_of
    from whistledesk.accounts.roles import Role
    from whistledesk.casefiles.services import attachment_open

    officer = make_staff("ivy", roles=[Role.INTAKE_OFFICER])
    _upload(walked, "site.jpg", jpeg_with_gps(), "image/jpeg")
    _upload(walked, "minutes.pdf", pdf_with_author(), "application/pdf")
    walked.post("/report/files/", {"action": "continue"})
    assert walked.post("/report/check/", {})["Location"] == "/report/sent/"
    assert not DraftFile.objects.exists()  # scratch copies gone with the draft
    opened = {
        name: data
        for name, _type, data in (
            attachment_open(actor=officer, attachment=a, private_key=private_key_of(officer))
            for a in Attachment.objects.all()
        )
    }
    assert set(opened) == {"site.jpg", "minutes.pdf"}
    assert not Image.open(io.BytesIO(opened["site.jpg"])).getexif().get_ifd(GPS_IFD)
    assert b"Ann Canary" not in opened["minutes.pdf"]
