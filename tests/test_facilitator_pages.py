"""The facilitator's pages in-process (AppTest) on the demo database: cohort, network
administration and workshop agenda, each tab, their actions, and what a forged actor gets."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from ioa_assess.i18n import translate
from ioa_assess.reports.cohort_tables import answered_percent
from ioa_assess.services.actor import Actor
from ioa_assess.services.cohort import completion, network_info
from ioa_assess.services.network_admin import list_invitations, search_bodies
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body
from ioa_assess.ui.text import plain
from tests.test_pages import app_for, demo_actor, texts

COHORT_TABS = ("Completion", "Dashboard", "By county and kind", "Change")
NETWORK_TABS = ("Rounds", "Members", "Contacts and e-mail", "Invitation codes", "Reopen an assessment")


def open_tab(actor: Actor, page: str, tab_key: str | None = None, tab: str | None = None) -> AppTest:
    at = app_for(actor).run()
    at.switch_page(page)
    if tab_key:
        at.session_state[tab_key] = tab
    at.run()
    assert not at.exception, (page, tab, at.exception)
    assert not at.error, (page, tab, [e.value for e in at.error])
    return at


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_every_tab_of_every_facilitator_page_opens(demo_db: str, role: str) -> None:
    actor = demo_actor(role)
    for tab in COHORT_TABS:
        open_tab(actor, "pages/cohort.py", "cohort-tab", tab)
    for tab in NETWORK_TABS:
        open_tab(actor, "pages/network.py", "network-tab", tab)
    open_tab(actor, "pages/agenda.py")


def test_completion_shows_states_and_who_to_remind(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    rows = completion(facilitator, rnd.id)
    at = open_tab(facilitator, "pages/cohort.py", "cohort-tab", "Completion")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Not started"] == str(sum(r.status == "not_started" for r in rows))
    assert metrics["Submitted"] == str(sum(r.status == "submitted" for r in rows))
    remind, table = frames(at)[0], frames(at)[1]
    assert len(remind) == sum(r.status != "submitted" for r in rows) and "Submitted" not in set(
        remind["Status"]
    )
    assert len(table) == len(rows)
    in_progress = next(r for r in rows if r.status == "in_progress")
    shown = table.set_index("Body").loc[in_progress.body, "Status"]
    assert shown == f"In progress ({answered_percent(in_progress.answered, in_progress.total)} %)"
    assert at.get("download_button")  # the remind list as CSV and Excel
    at.text_input(key="completion-search").input(in_progress.body).run()
    assert list(frames(at)[1]["Body"]) == [in_progress.body]


def test_the_dashboard_names_only_bodies_that_agreed(demo_db: str) -> None:
    at = open_tab(demo_actor("facilitator"), "pages/cohort.py", "cohort-tab", "Dashboard")
    assert len(charts(at)) == 3  # dimensions, overall distribution, heatmap
    heatmap = b"".join(d.data.data for d in charts(at)[2].proto.datasets)
    assert b"Sandnes" in heatmap  # agreed to be named, and submitted
    assert b"Body " in heatmap
    assert {b.proto.label for b in at.get("download_button")} >= {
        "Chart as PNG",
        "Chart as SVG",
        "Table as CSV",
    }
    assert at.toggle(key="export-named").value is False  # exports are anonymised by default
    as_admin = open_tab(demo_actor("admin"), "pages/cohort.py", "cohort-tab", "Dashboard")
    assert len(charts(as_admin)) == 3


def test_a_large_heatmap_is_shown_a_page_at_a_time(demo_db: str) -> None:
    import pyarrow as pa

    from ioa_assess.services.cohort import cohort_table
    from ioa_assess.ui.cohort_views import HEATMAP_PAGE
    from tests.factories import answer_all

    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    for row in completion(facilitator, rnd.id):
        if row.status == "not_started":
            answer_all(row.body_id, rnd.id, 3)
    total = len(cohort_table(facilitator, rnd.id).rows)
    assert total > HEATMAP_PAGE

    def heatmap_bodies(at: AppTest) -> int:
        heatmap = charts(at)[2].proto
        frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in heatmap.datasets]
        return max(frame["body"].nunique() for frame in frames if "body" in frame)

    at = open_tab(facilitator, "pages/cohort.py", "cohort-tab", "Dashboard")
    pages = at.selectbox(key="heatmap-page")
    assert pages.options == [f"1–{HEATMAP_PAGE} of {total}", f"{HEATMAP_PAGE + 1}–{total} of {total}"]
    assert heatmap_bodies(at) == HEATMAP_PAGE
    pages.select_index(1).run()
    assert not at.exception and heatmap_bodies(at) == total - HEATMAP_PAGE
    strip = charts(at)[0].proto  # the other charts still show every body
    dots = sum(pa.ipc.open_stream(d.data.data).read_all().num_rows for d in strip.datasets)
    assert dots > HEATMAP_PAGE * 8


def test_comparisons_and_change(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    at = open_tab(facilitator, "pages/cohort.py", "cohort-tab", "By county and kind")
    by_county, by_kind = frames(at)
    assert set(by_county["County"]) == {"Agder", "Rogaland", "Vestland"}
    assert "too few bodies" in set(by_kind["Bodies"])
    at = open_tab(facilitator, "pages/cohort.py", "cohort-tab", "Change")
    assert len(charts(at)) == 1
    change = frames(at)[0]
    assert change["Dimension"].iloc[0] == "Overall maturity" and change["Paired bodies"].iloc[0] >= 5
    assert "bodies that submitted both rounds" in texts(at)
    at.session_state["round-picker"] = network_info(facilitator).rounds[0]
    at.run()
    assert "no earlier round" in texts(at)


def test_a_round_is_created_and_a_bad_one_explained(demo_db: str) -> None:
    at = open_tab(demo_actor("facilitator"), "pages/network.py", "network-tab", "Rounds")
    at.text_input(key="round-name").input("Måling 2027")
    at.button(key="round-create").click().run()
    assert not at.exception and [s.value for s in at.success] == ["The round was created."]
    assert "Måling 2027" in set(frames(at)[0]["Round"])
    at.button(key="round-create").click().run()  # the name field was emptied
    assert [e.value for e in at.error] == ["Give the round a name."]
    at.button(key="round-close").click().run()
    assert "Tick the box" in at.warning[0].value


def test_a_round_deadline_is_moved_on_the_page(demo_db: str) -> None:
    from datetime import timedelta

    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    at = open_tab(facilitator, "pages/network.py", "network-tab", "Rounds")
    assert at.selectbox(key="round-edit-pick").value == rnd.id  # the newest round, filled in
    assert at.text_input(key="round-edit-name").value == rnd.name
    later = rnd.closes_on + timedelta(days=14)
    at.date_input(key="round-edit-closes").set_value(later).run()
    at.button(key="round-edit-save").click().run()
    assert not at.exception and [s.value for s in at.success] == ["The round was changed."]
    assert network_info(facilitator).rounds[-1].closes_on == later
    at.date_input(key="round-edit-closes").set_value(rnd.opens_on - timedelta(days=1)).run()
    at.button(key="round-edit-save").click().run()
    assert [e.value for e in at.error] == ["The round must close on or after the day it opens."]
    assert network_info(facilitator).rounds[-1].closes_on == later


def test_a_member_without_answers_is_removed_and_one_with_answers_kept(demo_db: str) -> None:
    from ioa_assess.services.network_admin import add_members

    facilitator = demo_actor("facilitator")
    network = network_info(facilitator)
    newcomer = next(c for c in search_bodies(facilitator, network.id, "a") if not c.member)
    add_members(facilitator, network.id, [newcomer.id])
    started = next(r for r in completion(facilitator, network.rounds[-1].id) if r.status != "not_started")
    at = open_tab(facilitator, "pages/network.py", "network-tab", "Members")
    at.selectbox(key="member-remove-pick").set_value(started.body_id)
    at.button(key="member-remove").click().run()
    assert "Tick the box" in at.warning[0].value
    at.checkbox(key="member-remove-confirm").check()
    at.button(key="member-remove").click().run()
    assert "stays a member" in at.error[0].value
    at.selectbox(key="member-remove-pick").set_value(newcomer.id)
    at.checkbox(key="member-remove-confirm").check()
    at.button(key="member-remove").click().run()
    assert [s.value for s in at.success] == [f"{newcomer.name} is no longer a member of the network."]
    assert newcomer.name not in set(frames(at)[0]["Body"])
    assert network_info(facilitator).members == network.members


def test_members_are_searched_and_added(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    network = network_info(facilitator)
    outsider = next(c for c in search_bodies(facilitator, network.id, "a") if not c.member)
    at = open_tab(facilitator, "pages/network.py", "network-tab", "Members")
    at.text_input(key="member-search").input(outsider.name).run()
    picker = at.multiselect(key="member-add-pick")
    assert any(option.startswith(outsider.name) for option in picker.options)
    picker.select(outsider).run()
    at.button(key="member-add").click().run()
    assert [s.value for s in at.success] == ["1 bodies were added to the network."]
    assert outsider.name in set(frames(at)[0]["Body"])


def test_codes_are_shown_once_listed_by_hint_and_revoked(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    body = next(r for r in completion(facilitator, rnd.id) if r.status == "not_started")
    at = open_tab(facilitator, "pages/network.py", "network-tab", "Invitation codes")
    at.multiselect(key="codes-bodies").set_value([body.body_id]).run()
    at.button(key="codes-issue").click().run()
    assert not at.exception and not at.error
    shown = at.code[0].value
    code = shown.split()[0]
    assert body.body in shown and len(code) == 14
    (row,) = list_invitations(facilitator, rnd.id)
    assert row.hint == code[-4:] and row.body == body.body
    listed = frames(at)[-1]
    assert list(listed["Code ends with"]) == ["…" + code[-4:]] and code not in listed.to_string()
    at.run()  # any next run: the code is gone for good
    assert not at.code and code not in texts(at)
    at.button(key="codes-revoke").click().run()
    assert at.success and list(frames(at)[-1]["Status"]) == ["Revoked"]
    at.button(key="codes-not-started").click().run()
    assert len(at.multiselect(key="codes-bodies").value) == sum(
        r.status == "not_started" for r in completion(facilitator, rnd.id)
    )


def test_a_submitted_assessment_is_reopened_with_a_reason(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    first = next(r for r in completion(facilitator, rnd.id) if r.status == "submitted")
    tricky = "**Fet** :red[kommune] [lenke](javascript:alert(1)) <b>x</b>"
    with session_scope(write=True) as session:  # body names are text, never Markdown
        session.execute(update(Body).where(Body.id == first.body_id).values(name=tricky))
    at = open_tab(facilitator, "pages/network.py", "network-tab", "Reopen an assessment")
    chosen = at.selectbox(key="reopen-body").value
    assert chosen.body == tricky
    at.button(key="reopen-submit").click().run()
    assert [e.value for e in at.error] == ["Give a reason for reopening."]
    at.text_area(key="reopen-reason").input("Feil i svarene på marknadsdialog").run()
    at.button(key="reopen-submit").click().run()
    assert at.success[0].value == f"The assessment of {plain(tricky)} is open for changes again."
    assert (
        next(r for r in completion(facilitator, rnd.id) if r.body_id == chosen.body_id).status
        == "in_progress"
    )


def test_the_agenda_lists_and_learn_from_whom(demo_db: str) -> None:
    at = open_tab(demo_actor("facilitator"), "pages/agenda.py")
    headings = [s.value for s in at.header]
    assert headings[:4] == [
        "Lowest cohort median",
        "Widest spread: the cohort is divided",
        "Improved most",
        "Declined most",
    ]
    assert all(len(f) <= 5 for f in frames(at)[:4]) and len(frames(at)[0]) == 5
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Table as CSV", "Table as Excel"} <= labels
    at.selectbox(key="agenda-compare").set_value(0).run()
    assert "Improved most" not in [s.value for s in at.header]
    at.number_input(key="agenda-top").set_value(3).run()
    assert len(frames(at)[0]) == 3
    at.selectbox(key="learn-question").set_value("org-02").run()
    assert not at.exception and "Learn from whom" in [s.value for s in at.header]
    assert "have not agreed to be named" in texts(at)


def test_a_forged_facilitator_gets_no_data(demo_db: str) -> None:
    forged = Actor(role="facilitator", label="forged", network_id=999)
    for page in ("pages/cohort.py", "pages/agenda.py"):
        at = app_for(forged).run()
        at.switch_page(page).run()
        assert not at.exception and at.error and not at.dataframe
    at = app_for(forged).run()
    at.switch_page("pages/network.py").run()
    assert not at.exception and not at.dataframe and not at.get("vega_lite_chart")


def test_the_pages_run_in_norwegian(demo_db: str) -> None:
    actor = demo_actor("facilitator")
    for lang in ("nb", "nn"):
        for page, key, tab in (
            ("pages/cohort.py", "cohort-tab", "Dashboard"),
            ("pages/agenda.py", None, None),
            ("pages/network.py", None, None),
        ):
            at = app_for(actor)
            at.session_state["lang"] = lang
            at.run()
            at.switch_page(page)
            if key:
                at.session_state[key] = translate(lang, tab)
            at.run()
            assert not at.exception and not at.error, (lang, page)


def test_an_administrator_creates_a_network_and_chooses_it(demo_db: str) -> None:
    admin = demo_actor("admin")
    at = open_tab(admin, "pages/network.py", "network-tab", "Rounds")
    at.text_input(key="network-name").input("Nettverk Nord")
    at.button(key="network-create").click().run()
    assert [s.value for s in at.success] == ["The network was created."]
    picker = at.selectbox(key="network-picker")
    assert picker.options == ["IOA-nettverk Sør-Vest", "Nettverk Nord"]
    at = open_tab(admin, "pages/cohort.py")
    at.selectbox(key="network-picker").select_index(1).run()
    assert not at.exception and "The network has no rounds yet." in texts(at)
    facilitator = open_tab(demo_actor("facilitator"), "pages/network.py")
    assert "network-name" not in [t.key for t in facilitator.text_input]


def test_a_csv_import_lists_every_bad_row_on_the_page(demo_db: str) -> None:
    header = "name,kind,county_number,municipality_number,population,official_written_standard,org_number\n"
    at = open_tab(demo_actor("facilitator"), "pages/network.py", "network-tab", "Members")
    members = len(frames(at)[0])
    at.button(key="member-import").click().run()
    assert [w.value for w in at.warning] == ["Choose a CSV file first."]
    bad = header + "Ny etat,statlig virksomhet,99,,,,\n=cmd|' /C calc'!A0,fylke,46,,,,\n"
    at.file_uploader(key="member-csv").set_value(("organer.csv", bad.encode(), "text/csv")).run()
    at.button(key="member-import").click().run()
    assert not at.exception and at.error[0].value.startswith("The file was rejected and nothing was imported")
    problems = frames(at)[0]
    assert [p.split(":")[0] for p in problems["Problem"]] == ["row 2", "row 3"]
    assert len(frames(at)[1]) == members
    good = header + "Ny etat,statlig virksomhet,46,,,,\n"
    at.file_uploader(key="member-csv").set_value(("organer.csv", good.encode(), "text/csv")).run()
    at.button(key="member-import").click().run()
    assert at.success[0].value.startswith("Imported: 1 new members (1 bodies new to the register)")
    assert "Ny etat" in set(frames(at)[0]["Body"]) and len(frames(at)[0]) == members + 1
