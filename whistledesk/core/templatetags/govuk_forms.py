"""Template helpers that render Django form fields the GOV.UK way: error styling on the
control and error messages that name what to do, not "This field is required."."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# The GOV.UK error modifier for each kind of control.
_ERROR_CLASS = {
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "file": "govuk-file-upload--error",
    "clearablefile": "govuk-file-upload--error",
}
_CHOOSE = ("select", "radioselect", "checkboxselectmultiple", "checkbox", "nullbooleanselect")


@register.filter
def error_text(error: str, field: BoundField | None) -> str:
    """Django's generic "required" message, said as GOV.UK does: what to enter or select."""
    if field is None or str(error) != str(forms.Field.default_error_messages["required"]):
        return str(error)
    label = str(field.label or field.name).rstrip(":?")
    verb = "Select" if field.widget_type in _CHOOSE else "Enter"
    # Keep capitals of a label that starts with an acronym ("URN"), lower the rest.
    first, _, rest = label.partition(" ")
    first = first if first.isupper() else first.lower()
    return f"{verb} {first}{' ' + rest if rest else ''}".strip()


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's control, pointing at the hint and error message the templates render
    ({id}_helptext, {id}_error: Django's own ids), with the GOV.UK error class when the
    field has errors. It overrides any aria-describedby a form set by hand."""
    described = [
        f"{field.auto_id}_{part}"
        for part, present in (("helptext", field.help_text), ("error", field.errors))
        if present and field.auto_id
    ]
    # False drops the attribute: nothing to point at.
    attrs: dict[str, Any] = {"aria-describedby": " ".join(described) or False}
    if field.errors:
        css = field.field.widget.attrs.get("class", "")
        error_class = _ERROR_CLASS.get(field.widget_type, "govuk-input--error")
        attrs["class"] = f"{css} {error_class}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def error_target(field: BoundField | str | None) -> str:
    """The id an error summary link jumps to: the control, or a group's first option
    (Django gives radio and checkbox groups no label id); "" for a form without fields."""
    if not isinstance(field, BoundField):
        return ""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
