"""Completeness, as datasette tests its documentation: the README names every named query and every
command; every catalog text exists in both languages with the same placeholders; every message code
the catalog defines is raised somewhere in the core, and every code raised is in the catalog."""

import re
import string

import pytest
from conftest import ROOT

from readiness import i18n, queries
from readiness.cli import build_parser
from readiness.messages import CATALOG

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The core's code, without the catalog that defines the codes.
CORE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "readiness").rglob("*.py") if p.name != "messages.py")


@pytest.mark.parametrize("name", queries.names())
def test_the_readme_names_every_named_query(name):
    assert f"`{name}`" in README, f"README does not describe the named query {name}"


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    out = []
    for name, p in sub.choices.items():
        out.append(name)
        for action in p._actions:
            if getattr(action, "choices", None) and action.dest.endswith("_command"):
                out += [f"{name} {c}" for c in action.choices]
    return out


@pytest.mark.parametrize("command", commands())
def test_the_readme_names_every_command(command):
    head, _, tail = command.partition(" ")
    assert re.search(rf"\b{head}\b", README), command
    if tail:
        assert re.search(rf"{head} [a-z|]*\b{tail}\b", README), f"README does not name `{command}`"


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize(("key", "texts"), sorted({**i18n.STRINGS, **CATALOG}.items()))
def test_every_text_exists_in_both_languages_with_the_same_placeholders(key, texts):
    vi, en = texts
    assert vi.strip() and en.strip(), key
    assert placeholders(vi) == placeholders(en), key


def test_every_message_code_is_raised_and_every_raised_code_is_known():
    raised = set(re.findall(r"Message\(\s*\"([a-z0-9_]+)\"", CORE))
    named = set(re.findall(r"\"([a-z0-9_]+)\"", CORE))  # codes passed on through variables count as used
    unused = sorted(set(CATALOG) - named)
    assert not unused, f"catalog codes nobody raises: {unused}"
    unknown = sorted(raised - set(CATALOG))
    assert not unknown, f"codes raised but not in the catalog: {unknown}"


def test_the_readme_links_the_units_contract_inside_the_repository():
    assert "docs/checklist-format.md" in README and (ROOT / "docs" / "checklist-format.md").exists()
    assert "../shared" not in README
