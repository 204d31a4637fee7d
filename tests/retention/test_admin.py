"""Retention policies are edited in the admin, and every change is audited."""

from __future__ import annotations

from typing import Any

from whistledesk.audit.models import AuditEvent
from whistledesk.retention.models import RetentionPolicy


def test_policies_saved_and_deleted_in_the_admin_are_audited(
    client: Any, organisation: Any, outcome_referred: Any, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    admin_user = make_staff("ada", roles=[Role.MANAGER])
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin_user)
    form = {
        "organisation": organisation.pk,
        "outcome": outcome_referred.pk,
        "keep_years": "8",
        "unassessed_keep_years": "",
        "basis": "Limitation period plus two years",
    }
    response = client.post("/admin/retention/retentionpolicy/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = RetentionPolicy.objects.get()
    assert policy.keep_years == 8
    # A second policy for the same outcome is refused with a message, not an error page
    response = client.post("/admin/retention/retentionpolicy/add/", form)
    assert response.status_code == 200
    assert "already has a retention policy" in response.content.decode()
    client.post(f"/admin/retention/retentionpolicy/{policy.pk}/delete/", {"post": "yes"})
    assert not RetentionPolicy.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="retention_policy").values_list("action", flat=True)
    )
    assert actions == ["retention.policy_created", "retention.policy_deleted"]
