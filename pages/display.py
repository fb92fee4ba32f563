"""Trình chiếu: the wall display (being built)."""

import streamlit as st

import ui

ui.title_bar(ui.store().config)
st.info("…")
