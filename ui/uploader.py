"""The file uploader in the page's language."""

from __future__ import annotations

import streamlit as st

from .state import t


def uploader_texts(key: str) -> None:
    """Streamlit 1.67 writes the uploader's button, limits and drop hint in English only ("Upload",
    "200MB per file • XLSX…", "Drag and drop files here"): the button and the hint of the uploader
    with this key are relabelled in the page's language and the limits line is hidden (the page
    states the exercise's own limit under it)."""
    button, drop = (t(k).replace('"', "") for k in ("upload_button", "upload_drop"))
    zone = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    limits = f"{zone} [data-testid='stFileUploaderDropzoneInstructions']"
    main = f"{zone} [data-testid='stBaseButton-secondary']"
    dragged = f"{zone} > div:not([data-testid], :has(button, [data-testid])) span"  # shown while a file is dragged over
    st.html(
        "<style>"
        f"{limits} {{display: none}}"
        f"{main} [data-testid='stMarkdownContainer'] {{display: none}}"
        f'{main} > div > span::after {{content: "{button}"}}'
        f"{dragged} {{font-size: 0}}"
        f'{dragged}::after {{content: "{drop}"; font-size: 1rem}}'
        "</style>"
    )
