"""Every UI string and every questionnaire text exists, non-empty, in bokmål, nynorsk and English."""

from __future__ import annotations

import re

import pytest

from ioa_assess.i18n import catalogue
from ioa_assess.i18n_catalogue import TRANSLATED, extract_messages, read_catalogue
from ioa_assess.questionnaire import LANGUAGES, available_versions, load_questionnaire

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def messages() -> dict[str, list[str]]:
    return extract_messages()


def test_the_code_uses_many_strings_through_the_translation_function(messages) -> None:
    assert len(messages) > 150
    assert "Sign in" in messages and "Wrong e-mail or password." in messages


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """The extractor does not look inside f-strings, so a _() there would never reach a catalogue."""
    from ioa_assess.config import PROJECT_ROOT

    call_in_f_string = re.compile(r"""\bf(["'])[^"'\n]*\{\s*_\(""")
    sources = [
        PROJECT_ROOT / "app.py",
        *PROJECT_ROOT.glob("pages/*.py"),
        *PROJECT_ROOT.glob("ioa_assess/**/*.py"),
    ]
    hidden = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if call_in_f_string.search(line)
    ]
    assert hidden == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_in_the_code_is_translated(messages, lang: str) -> None:
    translations = catalogue(lang)
    missing = {m: places[0] for m, places in messages.items() if not translations.get(m, "").strip()}
    assert missing == {}, (
        f"{len(missing)} strings lack a {lang} translation (run python -m ioa_assess.i18n_catalogue)"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_their_placeholders(lang: str) -> None:
    wrong = [
        m.id
        for m in read_catalogue(lang)
        if m.id
        and m.string
        and set(PLACEHOLDER.findall(str(m.id))) != set(PLACEHOLDER.findall(str(m.string)))
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_stale_entries_are_kept(messages, lang: str) -> None:
    stale = [str(m.id) for m in read_catalogue(lang) if m.id and m.id not in messages]
    assert stale == []


@pytest.mark.parametrize("version", available_versions())
def test_every_questionnaire_text_is_in_every_language(version: str) -> None:
    questionnaire = load_questionnaire(version)
    assert questionnaire.languages() == list(LANGUAGES)


def test_translations_are_not_the_english_text_left_in_place() -> None:
    """A handful of sentences must really differ from English in both Norwegian catalogues."""
    for lang in TRANSLATED:
        translations = catalogue(lang)
        for msgid in ("Sign in", "My results", "Submit the assessment", "Privacy"):
            assert translations[msgid] != msgid
