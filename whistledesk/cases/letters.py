"""Follow-up messages as PDF letters (WeasyPrint), for whistleblowers with no inbox.

The letter carries the organisation's name, the date, the reference, a blank address block
for the window envelope (the address is sealed identity: staff add it by hand) and the
message as sent. Tagged PDF (PDF/UA) like the annual report.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from whistledesk.cases.models import FollowupKind

TITLES = {
    FollowupKind.ACKNOWLEDGEMENT: "We have received your disclosure",
    FollowupKind.FEEDBACK: "An update on your disclosure",
    FollowupKind.OUTCOME: "What we did about your disclosure",
}


def followup_letter_pdf(
    *, organisation: str, reference: str, kind: str, body: str, sent_on: dt.date
) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this needs.
    from weasyprint import HTML

    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    document = render_to_string(
        "cases/followup/letter.html",
        {
            "organisation": organisation,
            "reference": reference,
            "title": TITLES[FollowupKind(kind)],
            "paragraphs": paragraphs,
            "sent_on": sent_on,
        },
    )
    pdf = HTML(string=document, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)
