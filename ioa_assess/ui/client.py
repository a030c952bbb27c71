"""The client's network address, for throttling guesses per address."""

from __future__ import annotations

import os

import streamlit as st

# Behind a reverse proxy every connection comes from the proxy: name the header it sets
# (IOA_CLIENT_ADDRESS_HEADER=X-Forwarded-For) and the address it appended last is used.
HEADER_SETTING = "IOA_CLIENT_ADDRESS_HEADER"


def client_address() -> str | None:
    header = os.environ.get(HEADER_SETTING, "").strip()
    if header:
        forwarded = st.context.headers.get(header) or ""
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # None on localhost and in AppTest
