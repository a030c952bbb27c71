"""The improvement plan on the demo: the plan page (AppTest), the results page's way into it, the
leadership page, PDF page two and Excel sheet read back, the agenda entry, export and erasure."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from pypdf import PdfReader
from sqlalchemy import select

from ioa_assess.i18n import fmt_date
from ioa_assess.reports.leadership_pdf import leadership_pdf, leadership_xlsx
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.plans import ROSE, body_plan
from ioa_assess.services.privacy import REMOVED_LABEL, delete_person, person_data
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Action, ActionNote
from tests.test_pages import app_for, demo_actor, texts


def _open_plan(role: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    at = app_for(demo_actor(role))
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception, at.exception
    return at


def test_an_action_added_with_the_form_is_listed_after_a_rerun(demo_db: str) -> None:
    # In bokmål: AppTest formats a select box's choice outside the page's session, in bokmål.
    at = _open_plan("agency_lead", "nb")
    assert "Handlingsplan: Gjesdal" in texts(at)
    at.text_input(key="action-title").input("Dialogkonferanse med leverandører")
    at.selectbox(key="action-question").set_value("mar-03")
    at.text_input(key="action-owner").input("Innkjøpssjef")
    at.date_input(key="action-due").set_value(date(2027, 2, 15))
    at.selectbox(key="action-status").set_value("in_progress")
    at.button(key="action-add").click().run()
    assert not at.exception and not at.error
    assert "Tiltaket er lagt inn i planen." in [s.value for s in at.success]
    at.run()
    assert "Dialogkonferanse med leverandører" in texts(at)
    shown = "\n".join(t.value for t in at.text)
    assert "Ansvarlig: Innkjøpssjef" in shown and "Status: Påbegynt" in shown
    assert "Frist: " + fmt_date(date(2027, 2, 15), "nb") in shown
    [stored] = [
        a for a in body_plan(demo_actor("agency_lead")) if a.title == "Dialogkonferanse med leverandører"
    ]
    assert (stored.question_ids, stored.status, stored.owner) == (("mar-03",), "in_progress", "Innkjøpssjef")


def test_a_too_long_title_gets_one_message_and_keeps_what_was_typed(demo_db: str) -> None:
    at = _open_plan("participant", "nb")
    before = len(body_plan(demo_actor("participant")))
    at.text_input(key="action-title").input("x" * 201)
    at.button(key="action-add").click().run()
    assert [e.value for e in at.error] == ["Tittelen er for lang: høyst 200 tegn. Ingenting ble lagret."]
    assert at.text_input(key="action-title").value == "x" * 201
    assert len(body_plan(demo_actor("participant"))) == before


def test_a_suggestion_starts_the_form_from_the_next_level(demo_db: str) -> None:
    at = _open_plan("participant", "nb")
    button = next(b for b in at.button if b.key and b.key.startswith("suggest-"))
    question_id = button.key.removeprefix("suggest-")
    button.click().run()
    assert at.selectbox(key="action-question").value == question_id
    assert at.text_input(key="action-title").value.startswith("Nå nivå")
    assert at.text_area(key="action-what").value  # the next level's text


def test_the_results_page_opens_the_plan_prefilled(demo_db: str) -> None:
    at = app_for(demo_actor("participant"))
    at.session_state["lang"] = "nb"  # AppTest formats the page's select boxes in bokmål
    at.run()
    at.switch_page("pages/results.py").run()
    button = next(b for b in at.button if b.key and b.key.startswith("plan-from-"))
    question_id = button.key.removeprefix("plan-from-")
    button.click().run()
    assert not at.exception
    assert at.selectbox(key="action-question").value == question_id
    assert at.text_input(key="action-title").value.startswith("Nå nivå")


def test_the_leader_reads_and_approves_but_has_no_form(demo_db: str) -> None:
    at = _open_plan("leader", "nb")
    page = texts(at)
    assert "Handlingsplan: Sandnes" in page
    assert not [w for w in at.text_input if w.key == "action-title"]
    approve = [b for b in at.button if b.key and b.key.startswith("approve-")]
    assert approve  # the demo has planned actions not yet approved
    action_id = int(approve[0].key.removeprefix("approve-"))
    approve[0].click().run()
    assert not at.exception
    [action] = [a for a in body_plan(demo_actor("leader")) if a.id == action_id]
    assert action.approved_by == "leader@demo.ioa.no"
    assert f"approve-{action_id}" not in [b.key for b in at.button]


def test_the_leadership_page_shows_the_plan_and_what_changed(demo_db: str) -> None:
    at = app_for(demo_actor("leader"))
    at.session_state["lang"] = "nb"
    at.run()
    at.switch_page("pages/leadership.py").run()
    assert not at.exception
    assert "Handlingsplan" in [h.value for h in at.header]
    assert {m.label for m in at.metric} >= {
        "Forsinket",
        "Frist innen 30 dager",
        "Fullført siden forrige runde",
    }
    plan = next(d.value for d in [*at.dataframe, *at.table] if "Endring ved neste runde" in d.value.columns)
    assert "fra nivå 2 til 3" in set(plan["Endring ved neste runde"])


def test_pdf_page_two_is_the_plan_and_excel_has_its_sheet(demo_db: str) -> None:
    summary = leadership_summary(demo_actor("leader"))
    actions = summary.plan.top
    reader = PdfReader(io.BytesIO(leadership_pdf(summary, "nb")))
    assert len(reader.pages) == 3  # the picture, the plan, the answers and their evidence
    one = " ".join(reader.pages[0].extract_text().split())
    two = " ".join(reader.pages[1].extract_text().split())
    packed = "".join(two.split())  # table cells wrap inside words
    assert "Sandnes" in one and "Handlingsplan" not in one  # page one stays the maturity picture
    assert two.startswith("Handlingsplan: Sandnes")
    assert f"Forsinket: {len(summary.plan.overdue)}" in two
    for action in actions:
        assert "".join(action.owner.split()) in packed
        assert "".join(fmt_date(action.due_on, "nb").split()) in packed
    assert "Påbegynt" in two and "fra nivå" in two and "Dropped" not in two
    workbook = openpyxl.load_workbook(io.BytesIO(leadership_xlsx(summary, "nn")))
    sheet = workbook["Handlingsplan"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Tiltak", "Kva skal gjerast", "Gjeld"]
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted(a.title for a in summary.plan.actions)
    changes = [
        row[header.index("Endring ved neste runde")] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert "frå nivå 2 til 3" in changes
    assert any(o.verdict == ROSE for a in summary.plan.actions for o in a.outcomes)


def test_the_agenda_says_what_the_network_plans_and_names_only_named_bodies(demo_db: str) -> None:
    at = app_for(demo_actor("facilitator")).run()
    at.switch_page("pages/agenda.py").run()
    assert not at.exception
    assert "What the network is working on" in [h.value for h in at.header]
    entries = [t.value for t in at.text if "bodies plan actions on" in t.value]
    assert entries and entries[0].startswith(
        "• 18 bodies plan actions on Market dialogue: invite someone at level 4–5"
    )
    from ioa_assess.services.scores import body_info

    with session_scope() as session:
        unnamed = {b.name for b in body_info(session).values() if not b.named_in_network}
    assert not any(name in entry for entry in entries for name in unnamed)


def test_export_has_the_actions_a_person_owns_or_wrote_and_erasure_keeps_them(demo_db: str) -> None:
    sheets = person_data(SYSTEM, "participant@demo.ioa.no")
    actions = sheets["actions"]
    assert len(actions) == len(body_plan(demo_actor("participant")))  # the demo participant wrote them all
    assert "owner, created, last changed" in set(actions["as"])
    assert len(sheets["action_notes"]) >= 1
    with session_scope() as session:
        user_id = int(sheets["account"]["id"].iloc[0])
        count = len(session.scalars(select(Action)).all())
    delete_person(SYSTEM, "participant@demo.ioa.no")
    with session_scope() as session:
        assert len(session.scalars(select(Action)).all()) == count
        for column in ("owner_user_id", "created_by_user_id", "updated_by_user_id"):
            assert not session.scalars(select(Action).where(getattr(Action, column) == user_id)).all()
        assert not session.scalars(select(ActionNote).where(ActionNote.author_user_id == user_id)).all()
        gjesdal = session.scalars(select(Action).where(Action.created_by == REMOVED_LABEL)).all()
        assert gjesdal and all("participant@demo.ioa.no" not in a.created_by for a in gjesdal)
        assert {a.owner for a in gjesdal} & {REMOVED_LABEL}
        assert "Demo participant" not in {a.owner for a in gjesdal}
