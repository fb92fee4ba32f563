"""Text normalization: NFC, legacy TCVN3 conversion, and folding for tolerant matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# TCVN3 (ABC, .VnTime fonts) stores Vietnamese letters in the Latin-1 range; Excel shows them as
# "Hoµn thµnh". Pairs: Unicode letter -> the Latin-1 character that TCVN3 puts in its place.
_UNI = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
_TCVN = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
assert len(_UNI) == len(_TCVN)
_FROM_TCVN = str.maketrans(dict(zip(_TCVN, _UNI, strict=False)))
# Characters that TCVN3 text has and Vietnamese Unicode text never has: their presence, with no
# character above U+00FF, marks a string as TCVN3.
_TCVN_ONLY = set(_TCVN) - set(_UNI) - set("ÊÈÉÒÕÓÔÌÝèìòùãáâéêíóôõúý")
_MIXED_CASE = re.compile("[a-z][ÊÈÉÒÕÓÔÌÝ][a-z]")


def is_tcvn3(text: str) -> bool:
    """True when the text looks like legacy TCVN3 rather than Unicode."""
    if not text or any(ord(c) > 0xFF for c in text):
        return False
    if any(c in _TCVN_ONLY for c in text):
        return True
    # "TiÓu ban": a capital that TCVN3 uses for a lowercase letter, right after a lowercase letter.
    return bool(_MIXED_CASE.search(text))


def _upper_words(original: str, converted: str) -> str:
    # .VnTimeH shows TCVN3 lowercase codes as capitals: keep a word that was typed in capitals
    # in capitals after conversion.
    out = []
    for o, c in zip(re.split(r"(\s+)", original), re.split(r"(\s+)", converted), strict=False):
        letters = [ch for ch in o if ch.isascii() and ch.isalpha()]
        out.append(c.upper() if letters and all(ch.isupper() for ch in letters) and len(letters) > 1 else c)
    return "".join(out)


def from_tcvn3(text: str) -> str:
    """Convert TCVN3 text to Unicode."""
    return _upper_words(text, text.translate(_FROM_TCVN))


# Control characters never reach stored text or a terminal: C0 (tab and newline become spaces like
# other white space), DEL, C1, and the bidi embeddings, overrides and isolates that make text display
# in another order than it is stored in (U+202A-U+202E, U+2066-U+2069).
_CONTROL_CHARS = "".join(
    chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
_NO_CONTROLS = {ord(c): (" " if c.isspace() else None) for c in _CONTROL_CHARS}


def strip_controls(text: str) -> str:
    """The text without control or bidi-override characters (white-space ones become spaces), else as is.

    For names that must stay as written (a sheet's name); everything else passes through ``clean``.
    """
    return text.translate(_NO_CONTROLS) if _CONTROL.search(text) else text


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Text as stored: TCVN3 converted, Unicode NFC, control characters dropped, whitespace collapsed."""
    text = strip_controls(text)  # first: a bidi override would hide TCVN3 from is_tcvn3
    if is_tcvn3(text):
        text = from_tcvn3(text)
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", text)
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return no_marks.replace("đ", "d").replace("Đ", "D")


def fold(text: object) -> str:
    """Key for tolerant matching: no case, diacritics, punctuation or spacing ("Tỷ lệ (%)" -> "tyle%")."""
    if text is None:
        return ""
    return _fold(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    if text.isascii():
        return _NOT_KEY.sub("", text.lower())
    return _NOT_KEY.sub("", strip_accents(clean(text)).lower())


_NOT_KEY = re.compile(r"[^a-z0-9%]+")


def fold_words(text: object) -> str:
    """Like fold, but words stay separated by one space ("P. Yên Bình" -> "p yen binh")."""
    if text is None:
        return ""
    return _fold_words(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def _fold_words(text: str) -> str:
    s = strip_accents(clean(text)).lower()
    return " ".join(re.findall(r"[a-z0-9%]+", s))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Excel on Vietnamese Windows does: base letters precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="replace")
