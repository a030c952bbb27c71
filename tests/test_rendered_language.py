"""Every page for every role, the leader's PDF and the Excel files, rendered in bokmål and nynorsk:
no English word, no raw stored value, no "None" or "nan", no internal question id."""

from __future__ import annotations

import pytest

from ioa_assess.i18n import translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports import cohort_tables
from ioa_assess.reports.leadership_pdf import leadership_pdf, leadership_xlsx
from ioa_assess.reports.standing import answers_frame, scores_frame
from ioa_assess.reports.tables import to_xlsx
from ioa_assess.services.accounts import sign_in
from ioa_assess.services.agenda import workshop_agenda
from ioa_assess.services.cohort import cohort_table, network_info
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.results import standing
from ioa_assess.ui.navigation import PAGE_ROLES
from tests.rendered_text import page_text, pdf_text, problems, xlsx_text
from tests.test_pages import ROLES, app_for, demo_actor

TABS = {
    "cohort": ("cohort-tab", ("Completion", "Dashboard", "By county and kind", "Change")),
    "network": ("network-tab", ("Rounds", "Members", "Invitation codes", "Reopen an assessment")),
}
COMMON = ("home", "privacy", "accessibility")


def render(actor, lang: str, page: str, tab: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
    at = app_for(actor)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"pages/{page}.py")
    if tab:
        at.session_state[tab[0]] = translate(lang, tab[1])
    at.run()
    assert not at.exception, (page, tab, at.exception)
    return at


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_norwegian(demo_db: str, role: str, lang: str) -> None:
    actor = demo_actor(role)
    sign_in(f"{role.replace('_', '-')}@demo.ioa.no", f"demo-{role}-42")  # the audit trail has a sign-in
    found = []
    for page in [*COMMON, *(p for p, roles in PAGE_ROLES.items() if role in roles)]:
        key, tabs = TABS.get(page, (None, (None,)))
        for tab in tabs:
            at = render(actor, lang, page, (key, tab) if key else None)
            found += [
                f"{page}{'/' + tab if tab else ''}: {p}"
                for p in problems(page_text(at), lang, reference=page == "questionnaire")
            ]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_leaders_files_read_in_norwegian(demo_db: str, lang: str) -> None:
    summary = leadership_summary(demo_actor("leader"))
    found = [f"PDF: {p}" for p in problems(pdf_text(leadership_pdf(summary, lang)), lang)]
    found += [
        f"leader Excel: {p}"
        for p in problems(xlsx_text(leadership_xlsx(summary, lang)), lang, data_file=True)
    ]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_downloads_read_in_norwegian(demo_db: str, lang: str) -> None:
    participant = demo_actor("participant")
    result = standing(participant, "network")
    questionnaire = load_questionnaire(result.questionnaire_version)
    files = {
        "results": to_xlsx(
            {
                translate(lang, "Answers"): answers_frame(result, questionnaire, lang),
                translate(lang, "Scores"): scores_frame(result, questionnaire, lang),
            }
        )
    }
    facilitator = demo_actor("facilitator")
    rnd = network_info(facilitator).rounds[-1]
    cohort = cohort_table(facilitator, rnd.id, names=True)
    files["cohort"] = to_xlsx(
        {translate(lang, "Cohort"): cohort_tables.cohort_data_frame(cohort, questionnaire, lang)}
    )
    agenda = workshop_agenda(facilitator, rnd.id, network_info(facilitator).rounds[0].id, 5)
    files["agenda"] = to_xlsx(
        {translate(lang, "Agenda"): cohort_tables.agenda_frame(agenda, questionnaire, lang)}
    )
    found = [
        f"{name}: {p}"
        for name, data in files.items()
        for p in problems(xlsx_text(data), lang, data_file=True)
    ]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)
