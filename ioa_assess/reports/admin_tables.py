"""The administrator's tables in the user's language: the bodies register and the audit trail.

The stored values (kinds, written standards, audit actions, "user:6") are codes; a reader gets names."""

from __future__ import annotations

import re

import pandas as pd

from ioa_assess.i18n import N_, fmt_date, translate
from ioa_assess.reports.cohort_tables import kind_name

WRITTEN_STANDARDS = {"bokmal": N_("Bokmål"), "nynorsk": N_("Nynorsk"), "neutral": N_("Neutral")}
AUDIT_ACTIONS = {
    "signin": N_("Signed in"),
    "signin.failed": N_("Sign-in failed"),
    "signin.locked": N_("Account locked after failed sign-ins"),
    "signin.sso": N_("Signed in with single sign-on"),
    "signin.sso_refused": N_("Single sign-on refused"),
    "signout": N_("Signed out"),
    "user.create": N_("Account created"),
    "user.role": N_("Role changed"),
    "person.delete": N_("Person erased"),
    "invitation.issue": N_("Invitation code issued"),
    "invitation.revoke": N_("Invitation code revoked"),
    "invitation.use": N_("Invitation code used"),
    "invitation.failed": N_("Invitation code refused"),
    "assessment.submit": N_("Assessment submitted"),
    "assessment.reopen": N_("Assessment reopened"),
    "network.create": N_("Network created"),
    "network.member_add": N_("Member added"),
    "network.member_remove": N_("Member removed"),
    "network.import": N_("Members imported"),
    "round.create": N_("Round created"),
    "round.close": N_("Round closed"),
    "round.change": N_("Round changed"),
    "export": N_("Export"),
    "retention.purge": N_("Answers deleted after the retention period"),
    "bodies.import": N_("Bodies imported"),
}
TARGET_KINDS = {
    "user": N_("Account {id}"),
    "body": N_("Body {id}"),
    "round": N_("Round {id}"),
    "network": N_("Network {id}"),
    "assessment": N_("Assessment {id}"),
    "invitation": N_("Invitation code {id}"),
    "person": N_("Person {id}"),
}
EXPORT_NAMES = {
    "remind list": N_("remind list"),
    "cohort data": N_("cohort data"),
    "audit trail": N_("audit trail"),
    "all responses": N_("all responses"),
    "(named)": N_("(named)"),
    "(anonymised)": N_("(anonymised)"),
    "unknown, revoked or expired": N_("unknown, revoked or expired"),
}
_REFERENCE = re.compile(r"\b(" + "|".join(TARGET_KINDS) + r"):(\d+)\b")


def target_text(target: str, lang: str) -> str:
    """ "user:6" -> "Konto 6"; the names of exports in the reader's language."""
    text = _REFERENCE.sub(lambda m: translate(lang, TARGET_KINDS[m.group(1)], id=m.group(2)), target or "")
    for english, msgid in EXPORT_NAMES.items():
        text = text.replace(english, translate(lang, msgid))
    return text


def audit_frame(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        {
            t("When (UTC)"): [fmt_date(pd.Timestamp(v).to_pydatetime(), lang) for v in events["at"]],
            t("Who"): events["actor"],
            t("What"): [t(AUDIT_ACTIONS[a]) if a in AUDIT_ACTIONS else a for a in events["action"]],
            t("Target"): [target_text(v, lang) for v in events["target"]],
            t("Detail"): [target_text(v, lang) for v in events["detail"]],
        }
    )


def register_frame(register: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    yes, no = t("yes"), t("no")
    frame = pd.DataFrame(
        {
            t("Name"): register["name"],
            t("Kind"): [kind_name(k, lang) for k in register["kind"]],
            t("County"): register["county"],
            t("Municipality number"): [
                v if isinstance(v, str) and v else "–" for v in register["municipality_number"]
            ],
            t("Population"): register["population"].astype("Int64"),
            t("Written standard"): [t(WRITTEN_STANDARDS.get(v, v)) for v in register["written_standard"]],
            t("Named in the network"): [yes if v else no for v in register["named_in_network"]],
            t("Synthetic (demo)"): [yes if v else no for v in register["synthetic"]],
        }
    )
    if not register["synthetic"].any():  # a real register: the demo column says nothing
        frame = frame.drop(columns=[t("Synthetic (demo)")])
    return frame
