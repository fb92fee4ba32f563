"""A small button that copies a text (a chase message) to the clipboard in one click.

Streamlit's own copy icons (st.code) use navigator.clipboard, which a browser offers only in a secure
context (https, or localhost): on the committee's network the board is often reached over plain http
at an address like http://10.0.0.5:8501, where they silently do nothing. This button uses the
clipboard API where it exists and otherwise copies through a selected, hidden text area
(document.execCommand("copy")), and says whether it worked."""

from __future__ import annotations

import streamlit as st

from .state import t

_JS = """
async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // refused (no permission, page not focused): try the selection below
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "0";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (e) {
    ok = false;
  }
  area.remove();
  return ok;
}

export default function (component) {
  const { data, parentElement } = component;
  let button = parentElement.querySelector("button.rb-copy");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "rb-copy";
    button.setAttribute("data-testid", "copyButton");
    // two sheets, one over the other (an icon of our own: no icon font to wait for)
    button.innerHTML =
      '<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="5.5" y="5.5" width="8" height="9" rx="1.5"/>' +
      '<path d="M3.5 10.5h-.5a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v.5"/></svg><span></span>';
    parentElement.appendChild(button);
  }
  const label = button.querySelector("span");
  label.textContent = data.label;
  button.dataset.state = "";
  button.onclick = async () => {
    const ok = await copy(data.text);
    label.textContent = ok ? data.done : data.failed;
    button.dataset.state = ok ? "copied" : "failed";
    clearTimeout(button.rbTimer);
    button.rbTimer = setTimeout(() => {
      label.textContent = data.label;
      button.dataset.state = "";
    }, ok ? 2500 : 8000);
  };
}
"""

_CSS = """
.rb-copy {
  display: inline-flex;
  align-items: center;
  gap: 0.4rem;
  font: inherit;
  font-size: 0.875rem;
  line-height: 1.4;
  min-height: 2.25rem;
  padding: 0.3rem 0.8rem;
  border-radius: 0.5rem;
  border: 1px solid var(--st-border-color, rgba(49, 51, 63, 0.2));
  background: var(--st-background-color, #ffffff);
  color: var(--st-text-color, #31333f);
  cursor: pointer;
}
.rb-copy svg { width: 1rem; height: 1rem; fill: none; stroke: currentColor; stroke-width: 1.3; }
.rb-copy:hover, .rb-copy:focus-visible { border-color: var(--st-primary-color, #ff4b4b); color: var(--st-primary-color, #ff4b4b); }
.rb-copy[data-state="copied"] { border-color: #2e7d32; color: #2e7d32; }
.rb-copy[data-state="failed"] { border-color: #b3261e; color: #b3261e; }
"""


def copy_button(text: str, key: str, label: str | None = None) -> None:
    """A button (`label`, by default 'Sao chép tin nhắn') copying `text`, then saying 'Đã sao chép'
    (or that it could not, and what to do)."""
    mount = st.components.v2.component("readiness_copy", js=_JS, css=_CSS, isolate_styles=False)
    mount(
        key=key,
        data={"text": text, "label": label or t("copy"), "done": t("copied"), "failed": t("copy_failed")},
        height="content",
    )
