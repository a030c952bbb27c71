"""The baseline for bench/answer_click.py: the questionnaire's widgets with no storage at all."""

import streamlit as st

from ioa_assess.questionnaire import load_questionnaire

questionnaire = load_questionnaire()
dimension = questionnaire.dimensions[0]
st.title("Bare page")
st.progress(0.5, text="20 of 40")
st.radio("Dimensions", [d.id for d in questionnaire.dimensions], key="dimension")
for question in questionnaire.questions_in(dimension.id):
    with st.container(border=True):
        st.markdown(f"#### {question.title.nb}")
        st.write(question.text.nb)
        st.radio(
            "Level",
            (1, 2, 3, 4, 5, 0),
            index=None,
            format_func=lambda n, q=question: f"**{n}** {q.levels[n].nb}" if n else "Vet ikke",
            key=f"answer-{question.id}",
        )
        st.text_area("Comment", key=f"comment-{question.id}", max_chars=2000)
