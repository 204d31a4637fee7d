"""Walking the audit chain and naming the first broken link.

Streams the events in `seq` order (a database cursor, a few thousand rows at a time), so a
log of millions of events verifies in constant memory. Each event is checked three ways:

1. its `seq` follows the previous one (a gap means events were deleted);
2. its `prev_hash` is the previous event's `hash` (if it names a *later* event instead, rows
   were reordered; otherwise the previous row's hash or this row's link was altered);
3. its `hash` is the SHA-256 of the previous hash and its own fields (else it was edited).

Finally the head row must exist when there are events, must name the last event (else the
tail was cut off or the head forged), no event may lie beyond it (else the head was wound
back over events that remain), and every anchor given (`SEQ:HASH`, published earlier) must
still be on the chain.

Each organisation has its own chain (ADR 0017): `verify_chain(organisation=org)` walks
that one only (`seq` is the position on it); `chains()` lists every organisation's, and the
installation's own chain (events that concern no organisation) if it has any, to walk in turn.
Within a chain the format never goes back from 2 to 1 (see chain.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whistledesk.audit.chain import GENESIS_HASH, PAYLOAD_COLUMNS, canonical_payload, link_hash
from whistledesk.audit.models import AuditEvent, AuditHead, on_chain

CHUNK = 2000


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """`SEQ:HASH`, as printed by `whistledesk audit_anchor`."""
        seq_text, sep, hash_text = text.strip().partition(":")
        hash_text = hash_text.strip().lower()
        if (
            not sep
            or not seq_text.isdigit()
            or len(hash_text) != 64
            or any(c not in "0123456789abcdef" for c in hash_text)
        ):
            raise ValueError("An anchor is SEQ:HASH, for example 1204:3f5a... (64 hex digits)")
        return cls(seq=int(seq_text), hash=hash_text)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass
class VerifyResult:
    ok: bool
    verified: int
    head_seq: int
    head_hash: str
    problem: str = ""
    broken_seq: int | None = None
    # edited | deleted | reordered | relinked | truncated | head | beyond | anchor
    kind: str = ""
    anchors_checked: list[Anchor] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            text = f"{self.verified} events verified, head {self.head_seq}:{self.head_hash}"
            if self.anchors_checked:
                text += f"; {len(self.anchors_checked)} anchor(s) confirmed on the chain"
            return text
        return f"Audit chain BROKEN: {self.problem}"


class _Sole:
    """Default for `organisation`: the installation's only organisation (or none)."""


SOLE: Any = _Sole()


def _org_id(organisation: Any) -> int | None:
    if isinstance(organisation, _Sole):
        from whistledesk.organisation import tenancy
        from whistledesk.organisation.models import Organisation

        if Organisation.objects.count() > 1:
            raise ValueError("Several organisations: name the one whose chain to verify.")
        organisation = tenancy.sole_organisation()
    return None if organisation is None else int(organisation.pk)


def chains() -> list[tuple[Any, str]]:
    """Every chain to verify: (organisation or None, its name), organisations by slug."""
    from whistledesk.organisation.models import Organisation

    found: list[tuple[Any, str]] = [
        (org, org.slug) for org in Organisation.objects.order_by("slug")
    ]
    if (
        AuditHead.objects.filter(on_chain(None)).exists()
        or AuditEvent.objects.filter(on_chain(None)).exists()
    ):
        found.append((None, "(installation: events of no organisation)"))
    return found


def verify_chain(*, organisation: Any = SOLE, anchors: Iterable[Anchor] = ()) -> VerifyResult:
    """Verify one organisation's chain (None: the installation's own; by default the only
    organisation's). Never raises for a broken chain: the result says what broke."""
    org_id = _org_id(organisation)
    events = AuditEvent.objects.filter(on_chain(org_id))
    heads = AuditHead.objects.filter(on_chain(org_id))
    wanted = {a.seq: a for a in anchors}
    # The head is read first: events appended while we walk lie beyond it and are left for
    # the next run, so a busy system never reports a false truncation.
    head = heads.values_list("last_seq", "last_hash").first()
    if head is None and events.exists():
        # No head is normal only before the first event (which creates it in its own
        # transaction, hence the second look); with events and still no head, it was deleted.
        head = heads.values_list("last_seq", "last_hash").first()
        first = events.order_by("seq").values_list("seq", flat=True).first()
        if head is None and first is not None:
            last = events.order_by("-seq").values_list("seq", flat=True).first()
            return VerifyResult(
                ok=False,
                verified=0,
                head_seq=0,
                head_hash="",
                problem=(
                    f"missing head: the head row is gone but events {first}-{last} exist "
                    "(the head was deleted)"
                ),
                broken_seq=first,
                kind="head",
            )
    head_seq, head_hash = head if head else (0, GENESIS_HASH)

    prev_seq, prev_hash, count, prev_format = 0, GENESIS_HASH, 0, 1
    rows = (
        events.filter(seq__lte=head_seq)
        .order_by("seq")
        .values_list(*PAYLOAD_COLUMNS, "prev_hash", "hash")
        .iterator(chunk_size=CHUNK)
    )

    def broken(kind: str, seq: int, problem: str) -> VerifyResult:
        return VerifyResult(
            ok=False,
            verified=count,
            head_seq=head_seq,
            head_hash=head_hash,
            problem=problem,
            broken_seq=seq,
            kind=kind,
        )

    for row in rows:
        values = dict(zip(PAYLOAD_COLUMNS, row[: len(PAYLOAD_COLUMNS)], strict=True))
        stored_prev, stored_hash = row[-2], row[-1]
        seq = values["seq"]
        if seq != prev_seq + 1:
            missing = (
                f"seq {prev_seq + 1}" if seq == prev_seq + 2 else f"seq {prev_seq + 1}-{seq - 1}"
            )
            return broken(
                "deleted",
                seq,
                f"deleted event(s): gap in sequence {prev_seq} -> {seq} ({missing} missing)",
            )
        if stored_prev != prev_hash:
            later = _seq_of_hash(org_id, stored_prev)
            if later is not None and later > seq:
                return broken(
                    "reordered",
                    seq,
                    f"reordered events: seq {seq} links to the event now at seq {later}",
                )
            return broken(
                "relinked",
                seq,
                f"prev_hash mismatch at seq {seq}: it does not link to seq {prev_seq} "
                f"(seq {prev_seq} or this link was altered)",
            )
        expected = link_hash(prev_hash, canonical_payload(**values))
        if expected != stored_hash:
            return broken("edited", seq, f"edited event: hash mismatch at seq {seq}")
        if values["chain_format"] < prev_format:
            return broken(
                "edited",
                seq,
                f"edited event: seq {seq} is in an older chain format than the event before it",
            )
        prev_format = values["chain_format"]
        if seq in wanted and wanted[seq].hash != stored_hash:
            return broken(
                "anchor",
                seq,
                f"anchor {wanted[seq]} does not match: history up to seq {seq} was rewritten",
            )
        prev_seq, prev_hash = seq, stored_hash
        count += 1

    if (prev_seq, prev_hash) != (head_seq, head_hash):
        if prev_seq < head_seq:
            return broken(
                "truncated",
                prev_seq + 1,
                f"truncated tail: the head names seq {head_seq} but the last event is seq "
                f"{prev_seq}",
            )
        return broken(
            "head",
            head_seq,
            f"head mismatch: the head names {head_seq}:{head_hash} but the last event is "
            f"{prev_seq}:{prev_hash}",
        )
    beyond = _events_beyond_the_head(org_id, head_seq)
    if beyond is not None:
        return broken(
            "beyond",
            beyond[0],
            f"events beyond the head: the head names seq {head_seq} but events "
            f"{beyond[0]}-{beyond[1]} exist after it (the head was wound back)",
        )
    missing_anchors = [a for s, a in wanted.items() if s > prev_seq]
    if missing_anchors:
        return broken(
            "anchor",
            missing_anchors[0].seq,
            f"anchor {missing_anchors[0]} is beyond the last event (seq {prev_seq}): "
            "events were removed since it was published",
        )
    return VerifyResult(
        ok=True,
        verified=count,
        head_seq=head_seq,
        head_hash=head_hash,
        anchors_checked=list(wanted.values()),
    )


def _events_beyond_the_head(org_id: int | None, head_seq: int) -> tuple[int, int] | None:
    """(first, last) seq of events the head does not cover, or None.

    An append writes its event and moves the head in one transaction, so an event that was
    committed while we walked has a committed head at or after it. Reading the events first
    and the head again afterwards therefore tells a concurrent append (the new head covers
    them: left for the next run) from a head wound back over events that remain.
    """
    later = AuditEvent.objects.filter(on_chain(org_id), seq__gt=head_seq)
    last = later.order_by("-seq").values_list("seq", flat=True).first()
    if last is None:
        return None
    now = AuditHead.objects.filter(on_chain(org_id)).values_list("last_seq", flat=True).first()
    if now is not None and now >= last:
        return None
    first = later.order_by("seq").values_list("seq", flat=True).first()
    return (first if first is not None else last), last


def _seq_of_hash(org_id: int | None, hash_value: str) -> int | None:
    """Only called once a link has broken, to tell a reorder from an alteration."""
    return (
        AuditEvent.objects.filter(on_chain(org_id), hash=hash_value)
        .values_list("seq", flat=True)
        .first()
    )
