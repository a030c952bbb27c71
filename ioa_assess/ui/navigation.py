"""The pages each role may open. A page not listed for a role answers "Page not found"."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ioa_assess.services.actor import ROLES, Actor

PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "assess": ("participant", "agency_lead"),
    "agree": ("agency_lead",),
    "results": ("participant", "agency_lead", "leader"),
    "plan": ("participant", "agency_lead", "leader"),
    "leadership": ("agency_lead", "leader"),
    "cohort": ("facilitator", "admin"),
    "agenda": ("facilitator", "admin"),
    "network": ("facilitator", "admin"),
    "regional": ("facilitator", "regional_leader", "admin"),
    "admin": ("admin",),
    "questionnaire": ROLES,
}


def may_open(actor: Actor | None, page: str) -> bool:
    return actor is not None and actor.role in PAGE_ROLES.get(page, ())


def pages_for(actor: Actor | None, _: Callable[..., str]) -> list[st.Page]:
    home = st.Page("pages/home.py", title=_("Start"), icon=":material/home:", url_path="home", default=True)
    pages = [home]
    catalogue = [
        ("assess", "pages/assess.py", _("Assessment"), ":material/edit_note:"),
        ("agree", "pages/agree.py", _("Compare and agree"), ":material/compare_arrows:"),
        ("results", "pages/results.py", _("My results"), ":material/insights:"),
        ("plan", "pages/plan.py", _("Improvement plan"), ":material/checklist:"),
        ("leadership", "pages/leadership.py", _("Leadership"), ":material/trending_up:"),
        ("cohort", "pages/cohort.py", _("Cohort"), ":material/groups:"),
        ("agenda", "pages/agenda.py", _("Workshop agenda"), ":material/event_note:"),
        ("network", "pages/network.py", _("Network administration"), ":material/hub:"),
        ("regional", "pages/regional.py", _("Region"), ":material/map:"),
        ("admin", "pages/admin.py", _("Administration"), ":material/admin_panel_settings:"),
        ("questionnaire", "pages/questionnaire.py", _("Questionnaire"), ":material/quiz:"),
    ]
    for name, path, title, icon in catalogue:
        if may_open(actor, name):
            pages.append(st.Page(path, title=title, icon=icon, url_path=name))
    pages.append(
        st.Page("pages/privacy.py", title=_("Privacy"), icon=":material/shield:", url_path="privacy")
    )
    pages.append(
        st.Page(
            "pages/accessibility.py",
            title=_("Accessibility"),
            icon=":material/accessibility_new:",
            url_path="accessibility",
        )
    )
    return pages
