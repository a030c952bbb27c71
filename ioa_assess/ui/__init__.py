"""Streamlit helpers shared by the pages: language, the signed-in actor, common widgets."""
