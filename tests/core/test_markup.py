"""The safe Markdown subset: phone links (for configured emergency texts) and bold links."""

from __future__ import annotations

from whistledesk.core.markup import markdown_html


def test_a_phone_number_is_a_link_a_phone_can_call() -> None:
    assert str(markdown_html("Call [999](tel:999) now.")) == (
        '<p class="govuk-body">Call <a class="govuk-link" href="tel:999">999</a> now.</p>'
    )
    assert 'href="tel:+448088005000"' in markdown_html("[NSPCC](tel:+448088005000)")


def test_a_tel_link_holding_anything_but_a_number_is_text() -> None:
    assert "href" not in markdown_html("[call](tel:javascript:alert(1))")
    assert "href" not in markdown_html("[call](tel:999;x=1)")


def test_bold_may_hold_a_link_and_nothing_else_nests_unescaped() -> None:
    assert str(markdown_html("**call [999](tel:999)**")) == (
        '<p class="govuk-body"><strong>call <a class="govuk-link" href="tel:999">999</a>'
        "</strong></p>"
    )
    assert "&lt;b&gt;" in markdown_html("**<b>x</b>**")
