"""The baseline for bench/answer_click.py: the same widgets as the assessment page (progress, the
dimension buttons, one dimension's questions with help, levels, comment and a caption), with no
storage and no logic at all."""

import streamlit as st

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.ui.timing import timed

with timed("bare"):
    questionnaire = load_questionnaire()
    dimension = questionnaire.dimensions[0]
    st.title("Bare page")
    st.progress(0.5, text="20 of 40 questions answered")
    nav, body = st.columns([1, 3], gap="large")
    with nav:
        st.markdown("**Dimensions**")
        for d in questionnaire.dimensions:
            st.button(f"{d.name.nb} (0/5)", key=f"dimension-{d.id}", width="stretch")
        st.button("Go to the first unanswered question", key="jump-unanswered")
    with body:
        st.header(dimension.name.nb)
        st.write(dimension.description.nb)
        for question in questionnaire.questions_in(dimension.id):
            with st.container(border=True):
                st.markdown(f"### {question.title.nb}")
                st.write(question.text.nb)
                with st.expander("Hjelp"):
                    st.text(question.help.nb)
                st.radio(
                    "Level",
                    (1, 2, 3, 4, 5, 0),
                    index=None,
                    format_func=lambda n, q=question: (
                        f"**{n} – {questionnaire.scale.name(n, 'nb')}:** {q.levels[n].nb}"
                        if n
                        else "Vet ikke"
                    ),
                    key=f"answer-{question.id}",
                )
                st.text_area("Comment", key=f"comment-{question.id}", max_chars=2000, height=80)
                st.caption("Sist endret 26.11.2026 10:00 av Innkjøper")
        st.button("Next dimension", key="next-dimension")
