"""Names and other user text are shown as text, never as Markdown: on every page (AppTest), and
no page or shared widget puts such a text into a Markdown-rendering call without escaping it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Network, Round, User
from ioa_assess.ui.navigation import PAGE_ROLES
from ioa_assess.ui.text import WORD_JOINER, plain
from tests.conftest import PROJECT
from tests.test_pages import app_for, demo_actor

ROUND_NAME = "[Sign in again](https://evil.example/login)"
BODY_NAME = "**bold** :red[x] $x^2$ <b>tag</b>"
NETWORK_NAME = "_Vest_ [nett](javascript:alert(1)) `kode`"


def rename_demo_names() -> None:
    """What a facilitator or an administrator could type as names (the demo's own body, network and
    open round)."""
    with session_scope(write=True) as session:
        for email in ("participant@demo.ioa.no", "leader@demo.ioa.no"):
            body_id = session.scalar(select(User.body_id).where(User.email == email))
            named = session.scalar(select(Body.name).where(Body.id == body_id))
            if not named.startswith(BODY_NAME):
                session.execute(update(Body).where(Body.id == body_id).values(name=f"{BODY_NAME} {body_id}"))
        session.execute(update(Network).values(name=NETWORK_NAME))
        for round_id in session.scalars(select(Round.id)):
            session.execute(update(Round).where(Round.id == round_id).values(name=f"{ROUND_NAME} {round_id}"))


def _everything_shown(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the page hands to Streamlit's Markdown renderer."""
    elements = [*at.markdown, *at.title, *at.header, *at.subheader, *at.caption]
    elements += [*at.info, *at.warning, *at.error, *at.success]
    return [str(e.value) for e in elements]


@pytest.mark.parametrize("role", ["participant", "leader", "facilitator", "regional_leader"])
def test_names_are_shown_as_typed_on_every_page(demo_db: str, role: str) -> None:
    rename_demo_names()
    actor = demo_actor(role)
    seen: list[str] = []
    for page, roles in PAGE_ROLES.items():
        if role not in roles:
            continue
        at = app_for(actor).run()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown = _everything_shown(at)
        for raw in (ROUND_NAME, BODY_NAME, NETWORK_NAME):
            assert not any(raw in text for text in shown), (page, raw)  # no unescaped copy anywhere
        seen += shown
    everything = "\n".join(seen)
    expected = {
        "participant": [BODY_NAME, ROUND_NAME],
        "leader": [BODY_NAME, ROUND_NAME],
        "facilitator": [NETWORK_NAME],
        "regional_leader": [NETWORK_NAME],
    }[role]
    for name in expected:
        assert plain(name) in everything, (role, name)


def test_the_start_page_shows_the_names_as_typed(demo_db: str) -> None:
    rename_demo_names()
    at = app_for(demo_actor("participant")).run()
    shown = "\n".join(_everything_shown(at))
    assert f"Organisation: {plain(BODY_NAME)}" in shown
    assert BODY_NAME not in shown


def test_escaped_text_has_no_markdown_left() -> None:
    names = (ROUND_NAME, BODY_NAME, NETWORK_NAME, "1. list", "- item", "# heading", ":material/home: :smile:")
    for name in (*names, "see www.evil.example or https://evil.example"):
        escaped = plain(name)
        unescaped_specials = re.findall(r"(?<!\\)[\[\]()*_`$<>:#]", escaped)
        assert unescaped_specials == [], (name, escaped)
        # ... and the reader sees exactly what was typed (the word joiners are invisible).
        assert re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "") == name


# --- the source: no page or widget puts user text into Markdown unescaped ---------------------------

# Placeholders that carry user text (names, labels, comments, reasons, addresses) by what they are called
# or by what their value is read from; numbers and dates are safe as they are.
USER_TEXT = re.compile(
    r"name|label|who|body|round|network|comment|reason|email|provider|user|owner|error|updated_by|values"
)
NUMBER_PLACEHOLDERS = {
    "n",
    "k",
    "p",
    "total",
    "answered",
    "days",
    "date",
    "when",
    "before",
    "now",
    "gap",
    "used",
}
ESCAPING = {"plain", "plain_values", "fmt_number", "fmt_percent", "fmt_date", "len", "role_name"}
SOURCES = sorted([*(PROJECT / "pages").glob("*.py"), *(PROJECT / "ioa_assess" / "ui").glob("*.py")])


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def unescaped_user_text(source: str) -> list[str]:
    """Each value of a translated text's placeholders (`_(msgid, name=...)`) that looks like user text
    and is not escaped, and each f-string Markdown that inserts such a value unescaped."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if _called(node) == "_":
            for keyword in node.keywords:
                value = keyword.value
                if isinstance(value, ast.Call) and _called(value) in ESCAPING:
                    continue
                if keyword.arg in NUMBER_PLACEHOLDERS:
                    continue
                if USER_TEXT.search(f"{keyword.arg or ''} {ast.unparse(value)}"):
                    found.append(f"line {node.lineno}: {keyword.arg or '**'}={ast.unparse(value)}")
        elif _called(node) in ("markdown", "write", "title", "header", "subheader", "caption"):
            for argument in node.args[:1]:
                for part in ast.walk(argument):
                    if (
                        isinstance(part, ast.FormattedValue)
                        and not (isinstance(part.value, ast.Call) and _called(part.value) in ESCAPING)
                        and USER_TEXT.search(ast.unparse(part.value))
                    ):
                        found.append(f"line {node.lineno}: {ast.unparse(part.value)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_user_text_reaches_markdown_unescaped(path: Path) -> None:
    assert unescaped_user_text(path.read_text(encoding="utf-8")) == []


def test_the_search_finds_unescaped_names() -> None:
    """The search itself: each way of slipping a name into Markdown is found."""
    assert unescaped_user_text('st.title(_("Results: {body}", body=result.body_name))')
    assert unescaped_user_text('st.caption(_("Last changed by {who}", who=answer.updated_by))')
    assert unescaped_user_text("st.error(_(exc.msgid, **exc.values))")
    assert unescaped_user_text('st.markdown(f"**{row.body_name}**")')
    assert not unescaped_user_text('st.title(_("Results: {body}", body=plain(result.body_name)))')
    assert not unescaped_user_text('st.caption(_("{n} bodies", n=len(rows)))')
