"""IOA self-assessment: maturity in innovative public procurement (domain package, no Streamlit)."""
