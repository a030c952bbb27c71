"""The questionnaire to read before answering: every question, level, help text and legal rule, what
changed since the first version, and files to circulate among colleagues."""

import streamlit as st

from ioa_assess.comparability import change_counts, question_changes
from ioa_assess.questionnaire import (
    DEFAULT_VERSION,
    LEVELS,
    load_questionnaire,
    newest_version,
    usable_versions,
)
from ioa_assess.reports.questionnaire_doc import (
    changes_frame,
    legal_lines,
    level_text,
    questionnaire_pdf,
    questionnaire_xlsx,
)
from ioa_assess.ui.downloads import XLSX, DownloadFile, download_row
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor

require_actor("questionnaire")
lang = current_language()
versions = list(reversed(usable_versions()))
newest = newest_version()
version = st.selectbox(
    _("Version"),
    versions,
    index=versions.index(newest) if newest in versions else 0,
    format_func=lambda v: v + (" (" + _("current") + ")" if v == newest else ""),
    key="questionnaire-version",
)
questionnaire = load_questionnaire(version).worded(None)  # neutral wording: read by every kind of body

st.title(questionnaire.title.get(lang))
intro = _(
    "{n} questions in {d} dimensions. Read them with your colleagues before you answer.",
    n=len(questionnaire.questions),
    d=len(questionnaire.dimensions),
)
if questionnaire.minutes:
    intro += " " + _("Answering takes about {n} minutes.", n=questionnaire.minutes)
st.write(intro)
download_row(
    "questionnaire",
    [
        DownloadFile(
            _("Questionnaire (PDF)"),
            lambda: questionnaire_pdf(questionnaire, lang),
            f"{questionnaire.id}.pdf",
            "application/pdf",
        ),
        DownloadFile(
            _("Questionnaire (Excel)"),
            lambda: questionnaire_xlsx(questionnaire, lang),
            f"{questionnaire.id}.xlsx",
            XLSX,
        ),
    ],
)

if version != DEFAULT_VERSION:
    changes = question_changes(DEFAULT_VERSION, version)
    counts = change_counts(changes)
    st.header(_("What changed since {version}", version=DEFAULT_VERSION))
    st.write(
        _(
            "{same} questions are the same and {reworded} reworded: these are compared with earlier rounds "
            "question by question. {changed} changed, {new} are new and {removed} removed: a dimension with "
            "such questions is compared with earlier rounds, but marked.",
            **counts,
        )
    )
    st.dataframe(changes_frame(changes, lang), hide_index=True)

for dimension in questionnaire.dimensions:
    st.header(dimension.name.get(lang))
    st.write(dimension.description.get(lang))
    for question in questionnaire.questions_in(dimension.id):
        with st.expander(f"{question.id} · {question.title.get(lang)}"):
            st.markdown(f"**{question.text.get(lang)}**")
            st.text("\n".join(level_text(questionnaire, question, level, lang) for level in LEVELS))
            st.caption(_("Help"))
            st.text(question.help.get(lang))
            legal = legal_lines(questionnaire, question, lang)
            if legal:
                st.caption(_("What the law says"))
                st.text("\n".join(f"§ {line}" for line in legal))
            if questionnaire.scale.separate_options and question.not_relevant:
                st.caption(_("'Not relevant' can be chosen for this question."))
