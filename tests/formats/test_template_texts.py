"""Texts in templates: _() and ngettext() in the reader's language, with their variables escaped, as Jinja's own
gettext writes them (crm.core.i18n.template_gettext replaces it for speed)."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale, refresh


def _render(app, language: str, source: str, **context) -> str:
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        return render_template_string(source, **context)


@pytest.mark.parametrize(("language", "shown"), [("zh", "标记完成"), ("en", "Mark done")])
def test_a_text_is_in_the_readers_language(app, language, shown):
    assert _render(app, language, "{{ _('Mark done') }}") == shown


def test_variables_are_escaped_into_the_translation_and_the_translation_is_not(app):
    shown = _render(app, "zh", "{{ _('Mark done: %(title)s', title=title) }}", title="<b>R&D</b>")
    assert shown == "标记完成：&lt;b&gt;R&amp;D&lt;/b&gt;"


def test_a_plural_follows_the_number(app):
    source = "{{ ngettext('%(num)d day left', '%(num)d days left', n) }}"
    assert _render(app, "en", source, n=1) == "1 day left"
    assert _render(app, "en", source, n=3) == "3 days left"
    assert _render(app, "zh", source, n=3) == "剩余 3 天"


def test_a_percent_sign_is_written_once_as_jinja_writes_it(app):
    assert _render(app, "en", "{{ _('100%% done') }}|{{ _('%(n)s%% done', n=5) }}") == "100% done|5% done"


def test_force_locale_switches_the_language_within_a_request(app):
    """An export in Chinese from an English page (the trip report) must not reuse the page's texts."""
    template = "{{ _('Mark done') }}"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert render_template_string(template) == "Mark done"
        with force_locale("zh"):
            assert render_template_string(template) == "标记完成"
        assert render_template_string(template) == "Mark done"


def test_the_same_page_alternates_languages_between_requests(app):
    """The remembered texts are keyed by language: one reader's Chinese never shows in another's English."""
    for language, shown in [("zh", "标记完成"), ("en", "Mark done"), ("zh", "标记完成")]:
        assert _render(app, language, "{{ _('Mark done') }}") == shown
