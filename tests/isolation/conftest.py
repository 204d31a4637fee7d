"""Two organisations in one installation (issue 12): A full of casework, B looking in.

A is served under its slug (`/a-org/`), B at its own host name. A holds a web disclosure
made through the public pages (narrative, a file, a confidential identity), staff of every
role, a message each way, a referral, a call note, a reminder, an identity request, an API
token, a published annual report and the audit trail all that leaves; plus four more
disclosures, so A has 5 and B has 2 (typed out in the report tests).

Every text that A holds carries a canary the probes look for in B's answers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from whistledesk.accounts.roles import Role

B_HOST = "b-birchwood.example.test"
A_SLUG = "a-org"
PASSWORD = "a-long-staff-password"

A_ORG_NAME = "Amberglass Quorumshire Ombudsman"
A_NARRATIVE = "The ultramarine heron logged nineteen broken fire doors at Quillacre Lodge."
A_SUMMARY = "Periwinkle summary of the Quillacre staffing concern"
A_FILE_BYTES = b"Xanthorrhoea-canary-file-bytes: the sealed attachment of organisation A.\n"
A_MESSAGE = "Vermilion reply from A's caseworker about the fire doors"
A_SOURCE_MESSAGE = "Saffron follow-up from A's whistleblower"
A_NOTE = "Cerulean call note kept on A's case"
A_REFERRAL = "Magenta referral summary sent by A"
A_REMINDER = "Ochre reminder to chase the landlord of Quillacre"
A_IDENTITY_NAME = "Octavia Pemberton-Quillfeather"
A_IDENTITY_EMAIL = "octavia.quillfeather@example.org"
A_CONCERN = "Chartreuse safeguarding concern on A's case"
A_FEEDBACK = "Burgundy feedback sent to A's whistleblower"
A_HOLD = "Tangerine tribunal hold on A's case"
A_EMAIL_TO = "amber.manager@aqo.example.org"
A_EMAIL_SUBJECT = "Indigo alert to A's manager"
A_REPORT_VERSIONS = 5
A_TOKEN_NAME = "amber-integration-token"

# A's staff usernames: distinctive, so a username in one of B's answers is A's.
A_USERNAMES = {role: f"amberq_{role.value}" for role in Role}
B_USERNAMES = {role: f"birch_{role.value}" for role in Role}
B_SUPERUSER = "birch_superuser"

# The register's figures, typed out.
A_DISCLOSURES = 5
B_DISCLOSURES = 2


@dataclass
class World:
    org_a: Any
    org_b: Any
    a_staff: dict[str, Any]
    b_staff: dict[str, Any]
    a_case: Any
    a_reference: str
    a_receipt: str
    b_reference: str
    b_receipt: str
    a_token: str
    b_tokens: dict[str, str]
    a_ids: dict[str, int] = field(default_factory=dict)
    year: int = 0

    def canaries(self) -> dict[str, str]:
        """Texts of A that must never appear in an answer to B."""
        out = {
            "A's organisation name": A_ORG_NAME,
            "A's narrative": A_NARRATIVE,
            "A's summary": A_SUMMARY,
            "A's file bytes": A_FILE_BYTES.decode(),
            "A's message to the whistleblower": A_MESSAGE,
            "A's whistleblower's message": A_SOURCE_MESSAGE,
            "A's call note": A_NOTE,
            "A's referral": A_REFERRAL,
            "A's reminder": A_REMINDER,
            "A's whistleblower's name": A_IDENTITY_NAME,
            "A's whistleblower's email": A_IDENTITY_EMAIL,
            "A's token name": A_TOKEN_NAME,
            "A's safeguarding concern": A_CONCERN,
            "A's feedback": A_FEEDBACK,
            "A's legal hold": A_HOLD,
            "A's email address": A_EMAIL_TO,
            "A's email subject": A_EMAIL_SUBJECT,
            "A's receipt": self.a_receipt,
        }
        for role, name in A_USERNAMES.items():
            out[f"A's {role.value}'s username"] = name
        return out


def b_client(**extra: Any) -> Client:
    return Client(HTTP_HOST=B_HOST, **extra)


def a_path(path: str) -> str:
    return f"/{A_SLUG}{path}"


def staff_key(user: Any) -> bytes:
    from tests.casefiles.conftest import private_key_of

    return private_key_of(user, PASSWORD)


def submit_public(
    client: Client,
    prefix: str,
    org: Any,
    *,
    narrative: str,
    file: bytes | None,
    identity: str = "anonymous",
    name: str = "",
    email: str = "",
) -> tuple[str, str]:
    """A disclosure through the public pages at `prefix` ("" or "/a-org"): (reference, receipt)."""
    from whistledesk.organisation.models import ServiceCategory

    service = ServiceCategory.objects.filter(organisation=org).order_by("position").first()
    assert service is not None
    pages: list[tuple[str, dict[str, Any]]] = [
        ("risk", {"risk": "no"}),
        ("service", {"service": str(service.pk)}),
        ("setting", {"setting_name": "Quillacre Lodge", "setting_area": "Camden"}),
        ("what-happened", {"narrative": narrative}),
        ("raised-before", {"raised": "no"}),
        ("your-role", {"role": "agency"}),
        ("identity", {"identity": identity}),
    ]
    if identity != "anonymous":
        pages.append(
            ("contact", {"name": name, "email": email, "phone": "", "contact_how": "email"})
        )
    for slug, data in pages:
        response = client.post(f"{prefix}/report/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
    if file is not None:
        upload = SimpleUploadedFile("evidence.txt", file, content_type="text/plain")
        response = client.post(f"{prefix}/report/files/", {"action": "upload", "file": upload})
        assert response.status_code == 302, response.content[:2000]
    response = client.post(f"{prefix}/report/files/", {"action": "continue"})
    assert response.status_code == 302
    response = client.post(f"{prefix}/report/check/", {})
    assert response.status_code == 302, response.content[:3000]
    page = client.get(f"{prefix}/report/sent/").content.decode()
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page)
    reference = re.search(r"<strong>(WD-[^<]+)</strong>", page)
    assert receipt and reference, page[:3000]
    return reference.group(1), receipt.group(1).strip()


def _staff(org: Any, names: dict[Role, str], superuser: str | None = None) -> dict[str, Any]:
    from django.contrib.auth.models import Group

    from whistledesk.accounts.services import user_create

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    out = {
        role.value: user_create(
            actor=None, username=name, password=PASSWORD, roles=[role], organisation=org
        )
        for role, name in names.items()
    }
    if superuser:
        out["superuser"] = user_create(
            actor=None,
            username=superuser,
            password=PASSWORD,
            roles=[Role.MANAGER],
            is_superuser=True,
            organisation=org,
        )
        out["superuser"].is_staff = True
        out["superuser"].save(update_fields=["is_staff"])
    return out


@pytest.fixture(autouse=True)
def _isolation_settings(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, B_HOST, "testserver"]
    settings.WHISTLEDESK_FAILURE_DELAY = 0
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _referral_directory(db: Any) -> None:
    from whistledesk.cases.models import ReferralBody

    for name, kind in [
        ("Local authority children's services", "la_childrens_services"),
        ("Police", "police"),
    ]:
        ReferralBody.objects.get_or_create(name=name, defaults={"kind": kind})


@pytest.fixture
def world(db: Any) -> World:
    from django.core.cache import cache

    from tests.factories import DisclosureFactory, OrganisationFactory
    from whistledesk.api.services import api_token_create
    from whistledesk.casefiles.models import Attachment, Message
    from whistledesk.casefiles.services import casefile_add, message_send_to_source
    from whistledesk.cases.actions import referral_record
    from whistledesk.cases.assessment import disclosure_assess, disclosure_assign
    from whistledesk.cases.models import Disclosure, ReferralBody, Status
    from whistledesk.cases.reminders import reminder_set
    from whistledesk.cases.workflow import disclosure_transition
    from whistledesk.identity.services import identity_access_request
    from whistledesk.reports.services import report_publish

    org_a = OrganisationFactory(name=A_ORG_NAME, short_name="AQO", slug=A_SLUG)
    org_b = OrganisationFactory(
        name="Birchwood Children's Commissioner", short_name="BCC", slug="b-org", host=B_HOST
    )
    a_staff = _staff(org_a, A_USERNAMES)
    b_staff = _staff(org_b, B_USERNAMES, superuser=B_SUPERUSER)
    today = dt.date.today()

    # A's whistleblower, through A's public pages, with a file and a sealed identity.
    a_reference, a_receipt = submit_public(
        Client(),
        f"/{A_SLUG}",
        org_a,
        narrative=A_NARRATIVE,
        file=A_FILE_BYTES,
        identity="confidential",
        name=A_IDENTITY_NAME,
        email=A_IDENTITY_EMAIL,
    )
    cache.clear()
    # B's whistleblower, through B's pages at its host.
    b_reference, b_receipt = submit_public(
        b_client(), "", org_b, narrative="A birch-side concern about a nursery.", file=None
    )
    cache.clear()
    case = Disclosure.objects.get(reference=a_reference)
    assert case.organisation_id == org_a.pk
    Disclosure.objects.filter(pk=case.pk).update(summary=A_SUMMARY)

    manager, worker = a_staff["manager"], a_staff["caseworker"]
    case = disclosure_assign(
        actor=manager, disclosure=case, handler=worker, private_key=staff_key(manager)
    )
    case = disclosure_transition(
        actor=worker, disclosure=case, to=Status.ACKNOWLEDGED, private_key=staff_key(worker)
    )
    case = disclosure_transition(actor=worker, disclosure=case, to=Status.ASSESSING)
    case = disclosure_assess(
        actor=worker,
        disclosure=case,
        categories=["health_safety"],
        public_interest=True,
        within_remit=True,
        service=org_a.services.get(label="Schools"),
        risk_level="medium",
        urgent=False,
    )
    case = disclosure_transition(actor=worker, disclosure=case, to=Status.ACTION)
    message_send_to_source(
        actor=worker, disclosure=case, text=A_MESSAGE, private_key=staff_key(worker)
    )
    # A's whistleblower answers from A's inbox.
    source = Client()
    assert source.post(a_path("/follow-up/"), {"receipt": a_receipt}).status_code == 302
    response = source.post(a_path("/follow-up/inbox/"), {"text": A_SOURCE_MESSAGE})
    assert response.status_code in (200, 302), response.content[:2000]
    cache.clear()
    referral = referral_record(
        actor=worker,
        private_key=staff_key(worker),
        disclosure=case,
        body=ReferralBody.objects.get(kind="la_childrens_services"),
        shared_summary=A_REFERRAL,
        referred_on=today,
    )
    casefile_add(
        actor=worker,
        disclosure=case,
        private_key=staff_key(worker),
        documents={"call_notes": A_NOTE},
    )
    reminder = reminder_set(
        actor=worker,
        disclosure=case,
        remind_on=today + dt.timedelta(days=3),
        note=A_REMINDER,
        private_key=staff_key(worker),
    )
    identity_request = identity_access_request(
        actor=worker,
        disclosure=case,
        reason="To call them back about the fire doors.",
        private_key=staff_key(worker),
    )
    # A safeguarding concern, a feedback message sent and a legal hold: more rows with ids.
    from whistledesk.cases.followup import followup_message_send
    from whistledesk.cases.safeguarding import safeguarding_concern_raise
    from whistledesk.retention.services import legal_hold_place

    safeguarding_concern_raise(
        actor=worker, disclosure=case, summary=A_CONCERN, private_key=staff_key(worker)
    )
    followup_message_send(
        actor=worker,
        disclosure=case,
        kind="feedback",
        body=A_FEEDBACK,
        private_key=staff_key(worker),
    )
    legal_hold_place(actor=manager, disclosure=case, reason=A_HOLD)
    token_row, a_token = api_token_create(actor=manager, user=manager, name=A_TOKEN_NAME)
    # Four more of A's, this year, so A has 5 and B has 2.
    for _ in range(A_DISCLOSURES - 1):
        DisclosureFactory(organisation=org_a, received_on=today)
    DisclosureFactory(organisation=org_b, received_on=today)
    # Version 5 of A's report: the probes' own POSTs may publish B's versions 1 to 4.
    for version in range(1, A_REPORT_VERSIONS + 1):
        published = report_publish(
            actor=manager,
            organisation=org_a,
            year=report_year(today),
            reason="" if version == 1 else f"Correction {version} of A's report.",
        )
    assert published.version == A_REPORT_VERSIONS
    a_email = _failed_email_of(org_a, manager)

    b_tokens = {}
    for key, user in b_staff.items():
        if key != "superuser":
            b_tokens[key] = api_token_create(actor=user, user=user, name=f"b-{key}")[1]

    attachment = Attachment.objects.filter(disclosure=case).first()
    assert attachment is not None
    message = Message.objects.filter(disclosure=case).first()
    assert message is not None
    a_ids = {
        "disclosure": case.pk,
        "attachment": attachment.pk,
        "message": message.pk,
        "referral": referral.pk,
        "reminder": reminder.pk,
        "identity_request": identity_request.pk,
        "token": token_row.pk,
        "published_version": published.version,
        "user": manager.pk,
        "email": a_email.pk,
    }
    a_ids.update(_optional_ids(case, org_a))
    return World(
        org_a=org_a,
        org_b=org_b,
        a_staff=a_staff,
        b_staff=b_staff,
        a_case=case,
        a_reference=a_reference,
        a_receipt=a_receipt,
        b_reference=b_reference,
        b_receipt=b_receipt,
        a_token=a_token,
        b_tokens=b_tokens,
        a_ids=a_ids,
        year=report_year(today),
    )


def _failed_email_of(org: Any, user: Any) -> Any:
    """An alert email to A's manager that failed: the "Email problems" list shows it to
    A's managers. Made directly (no mail server fails in tests), as its worker leaves it."""
    from whistledesk.notifications.models import EmailStatus, OutboundEmail

    fields = {f.name for f in OutboundEmail._meta.concrete_fields}
    extra = {"organisation": org} if "organisation" in fields else {}
    return OutboundEmail.objects.create(
        kind="new_disclosure" if "new_disclosure" in _email_kinds() else _email_kinds()[0],
        to=A_EMAIL_TO,
        subject=A_EMAIL_SUBJECT,
        body="A body for A's manager.",
        status=EmailStatus.FAILED,
        attempts=3,
        **extra,
    )


def _email_kinds() -> list[str]:
    from whistledesk.notifications.models import EMAIL_KINDS

    return [k for k, _ in EMAIL_KINDS]


def report_year(today: dt.date) -> int:
    """The reporting year (1 April to 31 March, the default) that `today` falls in."""
    return today.year if today.month >= 4 else today.year - 1


def _optional_ids(case: Any, org: Any) -> dict[str, int]:
    """Ids of A's rows of other kinds, where there is one (0: none made)."""
    from django.apps import apps

    out: dict[str, int] = {}
    for label, model_name in [
        ("concern", "cases.SafeguardingConcern"),
        ("sent", "cases.FollowupSent"),
        ("signpost", "signposting.Signpost"),
        ("review", "cases.CallNotesReview"),
        ("hold", "retention.LegalHold"),
    ]:
        try:
            model = apps.get_model(model_name)
        except LookupError:
            continue
        names = {f.name for f in model._meta.get_fields()}
        if "disclosure" in names:
            row = model.objects.filter(disclosure=case).first()
        elif "organisation" in names:
            row = model.objects.filter(organisation=org).first()
        else:
            row = None
        if row is not None:
            out[label] = row.pk
    return out


def snapshot_of(world: World) -> dict[str, list[Any]]:
    """Every row that belongs to A (by organisation, case or member of staff), as values."""
    from django.apps import apps

    from whistledesk.accounts.models import User
    from whistledesk.cases.models import Disclosure
    from whistledesk.organisation.models import Organisation

    a_cases = set(Disclosure.objects.filter(organisation=world.org_a).values_list("pk", flat=True))
    a_users = set(User.objects.filter(organisation=world.org_a).values_list("pk", flat=True))
    out: dict[str, list[Any]] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in {"sessions.Session", "admin.LogEntry"}:
            continue
        q = None
        from django.db.models import Q

        if model is Organisation:
            q = Q(pk=world.org_a.pk)
        elif model is Disclosure:
            q = Q(pk__in=a_cases)
        elif model is User:
            q = Q(pk__in=a_users)
        else:
            for f in model._meta.concrete_fields:
                target = getattr(f, "related_model", None)
                if target is Organisation:
                    q = (q or Q()) | Q(**{f.name: world.org_a.pk})
                elif target is Disclosure:
                    q = (q or Q(pk__in=[])) | Q(**{f"{f.name}__in": a_cases})
                elif target is User:
                    q = (q or Q(pk__in=[])) | Q(**{f"{f.name}__in": a_users})
        if q is None:
            continue
        rows = list(model.objects.filter(q).order_by("pk").values())
        out[label] = rows
    return out
