"""Text normalization: NFC, legacy TCVN3 and VNI conversion, and folding for tolerant matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# ------------------------------------------------------------------ Vietnamese syllables
# A legacy encoding is recognized by what its conversion gives: Vietnamese syllables. A syllable is an
# optional initial consonant, a rime (vowels, then an optional final consonant) and at most one tone mark,
# placed where Vietnamese spelling puts it.
_TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}
_VN_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"


def _letter(ch: str) -> tuple[str, str]:
    parts = unicodedata.normalize("NFD", ch)
    tone = next((_TONE_MARKS[m] for m in parts if m in _TONE_MARKS), "")
    return unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS)), tone


# Each lower-case Vietnamese letter -> (the letter without its tone mark, the tone's name or "").
_LETTERS = {ch: _letter(ch) for ch in _VN_LOWER}
_VIETNAMESE_ONLY = "đăâêôơư"  # letters (toned or not) that French, Spanish, German... never write
_INITIALS = (
    *sorted("ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p q r s t v x".split(), key=len, reverse=True),
    "",
)
# The rimes of Vietnamese spelling, without tones. "k" as a final is in place names (Đắk Lắk).
_RIMES = frozenset(
    """a ai ao au ay ac ach am an ang anh ap at ak ăc ăm ăn ăng ăp ăt ăk âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et ê êu êch êm ên ênh êp êt i ia iu ich im in inh ip it
    iêc iêm iên iêng iêp iêt iêu yêm yên yêt yêu y
    o oi oc om on ong op ot ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt
    ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu
    oa oai oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oe oeo oem oen oet
    uy uya uyu uych uyn uynh uyp uyt uyên uyêt uê uêch uên uênh uêt uơ uân uâng uât uây""".split()
)
_FINALS = ("ng", "nh", "ch", "c", "k", "m", "n", "p", "t")
_CHECKED = ("c", "ch", "k", "p", "t")  # a syllable ending so carries sắc or nặng only (not "gỏt" for goût)
_Y_INITIALS = frozenset(("", "h", "k", "l", "m", "qu", "s", "t", "v"))  # "y" alone as a rime: kỳ, lý, mỹ, quý


def _is_syllable(word: str) -> bool:
    """True when the lower-case word is spelled as a Vietnamese syllable (hoàn, thành, quốc, người, ...)."""
    bases = []
    tone, toned = "", -1
    for i, ch in enumerate(word):
        letter = _LETTERS.get(ch)
        if letter is None:
            return False
        bases.append(letter[0])
        if letter[1]:
            if tone:
                return False  # two tone marks
            tone, toned = letter[1], i
    base = "".join(bases)
    if base.endswith(_CHECKED) and tone not in ("sắc", "nặng"):
        return False
    for initial in _INITIALS:
        if not base.startswith(initial):
            continue
        rime = base[len(initial) :]
        if rime not in _RIMES:
            continue
        if (initial == "q" and rime[0] != "u") or (initial == "qu" and rime[0] in "ou"):
            continue  # q only before u; qu never before o or u ("quoác" is not quốc)
        if rime[0] == "y" and initial and (rime != "y" or initial not in _Y_INITIALS):
            continue
        if not tone or toned - len(initial) in _tone_places(rime):
            return True
    return False


def _tone_places(rime: str) -> tuple[int, ...]:
    """Where in the rime its tone mark may sit: on the last of ă â ê ô ơ ư (người, tiến, muối); else on the
    last vowel before a final (hoàn, quỳnh); on either vowel of oa, oe, uy (hòa and hoà, thủy and thuỷ);
    the middle one of three (ngoài, khuỷu); the first of two (mùa, kìa, hỏi)."""
    final = next((f for f in _FINALS if rime.endswith(f)), "")
    vowels = rime[: len(rime) - len(final)]
    hats = [i for i, v in enumerate(vowels) if v in "ăâêôơư"]
    if hats:
        return (hats[-1],)
    if final or len(vowels) == 1:
        return (len(vowels) - 1,)
    if vowels in ("oa", "oe", "uy"):
        return (0, 1)
    return (1,) if len(vowels) == 3 else (0,)


def _has_letter(word: str, letters: str) -> bool:
    """Whether the word has one of the letters, with or without a tone mark."""
    return any(_LETTERS.get(ch, " ")[0] in letters for ch in word.lower())


# ------------------------------------------------------------------ reading a cell in a legacy encoding
_WORD = re.compile("[A-Za-z\x80-\xff]+")
_ASCII_LETTER = re.compile("[A-Za-z]")
Words = list[tuple[str, str]]  # (as written, converted)


def _read(text: str, convert: Callable[[str], str | None]) -> tuple[Words, Words] | None:
    """The words that ``convert`` (one word of a legacy encoding -> Unicode, None if not of the encoding)
    changes and, among them, the evidence: those that are not Vietnamese as written. None when the cell
    cannot be in the encoding.

    A cell can be legacy text only when it has no character above U+00FF, every Latin-1 character in it is
    part of a letter of the encoding and every word that conversion changes becomes a Vietnamese syllable.
    Real Unicode Vietnamese ("Tôi có", "Hoà Bình") then has no evidence, so it never converts: what counts
    as enough evidence is each encoding's own rule (``_tcvn3_strength``, ``is_vni``).
    """
    if not text or text.isascii() or max(text) > "\xff":
        return None
    changed = []
    evidence = []
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        reading = _read_word(word, convert)
        if reading is None:
            return None
        new, is_evidence = reading
        if new != word:
            changed.append((word, new))
            if is_evidence:
                evidence.append((word, new))
    return changed, evidence


@lru_cache(maxsize=16384)
def _read_word(word: str, convert: Callable[[str], str | None]) -> tuple[str, bool] | None:
    """(the word converted, whether it is evidence), or None when the cell cannot be in the encoding."""
    new = convert(word)
    if new is None or new == word:
        return None if new is None else (new, False)
    if not _as_written(new):
        return None  # not a syllable, or not in lower case, capitals or title case ("mÔI")
    # A lone Latin-1 sign ("©" is TCVN3's "â", "ö" VNI's "ư") is no evidence.
    return new, (len(word) > 1 or bool(_ASCII_LETTER.search(word))) and not _as_written(word)


def _as_written(word: str) -> bool:
    """Whether the word reads as Vietnamese as it stands: a syllable in lower case, capitals or title case."""
    return (word[1:].islower() or word.isupper() or len(word) == 1) and _is_syllable(word.lower())


# ------------------------------------------------------------------ TCVN3
# TCVN3 (ABC, .VnTime fonts) stores Vietnamese letters in the Latin-1 range; Excel shows them as
# "Hoµn thµnh". Pairs: Unicode letter -> the Latin-1 character that TCVN3 puts in its place.
_UNI = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
_TCVN = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
assert len(_UNI) == len(_TCVN)
_FROM_TCVN = str.maketrans(dict(zip(_TCVN, _UNI, strict=False)))
_TCVN_SET = frozenset(_TCVN)
# Characters that TCVN3 text has and Vietnamese Unicode text never has. The signs among them are in no
# language's words ("Hoµn", "§¬n", "th\xadëng"). The letters (ç ë î ï ö û ü ...) are also French, German
# or Nordic ("Noël", "naïve", "dû"), and VNI's marks ("chöa" is VNI's chưa and TCVN3's chửa).
_TCVN_ONLY = frozenset(_TCVN) - frozenset(_UNI) - frozenset("ÊÈÉÒÕÓÔÌÝèìòùãáâéêíóôõúý")
_TCVN_SIGNS = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾×÷")
# "TiÓu ban", "viÖc": a capital that TCVN3 uses for a lower-case letter, right after a lower-case letter.
_TCVN_MIXED_CASE = re.compile("[a-z][ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖØÜÝÞ]")
_TCVN_HINT = re.compile(f"[{re.escape(''.join(sorted(_TCVN_ONLY)))}]|{_TCVN_MIXED_CASE.pattern}")


def _tcvn3_word(word: str) -> str | None:
    if not all(c in _TCVN_SET for c in word if c > "\x7f"):
        return None
    return _upper_words(word, word.translate(_FROM_TCVN))


def _tcvn3_strength(text: str) -> int:
    """2 when the text is surely TCVN3: a word not Vietnamese as written has a TCVN3 sign or mixed case;
    1 when it may be (VNI's reading comes first then): such a word has a TCVN3-only letter, or a TCVN3-only
    letter stands alone beside other words ("Xong ë": xong ở); else 0."""
    if not _TCVN_HINT.search(text):
        return 0  # quick: none of the characters below can be in the text
    words = _read(text, _tcvn3_word)
    if not words:
        return 0
    changed, evidence = words
    if any(_TCVN_SIGNS.intersection(w) or _TCVN_MIXED_CASE.search(w) for w, _ in evidence):
        return 2
    if any(_TCVN_ONLY.intersection(w) for w, _ in evidence):
        return 1
    # A lone sign is not enough: "« tôt »" is French with guillemets, not "ô tụt ằ".
    alone = any(w in _TCVN_ONLY and w not in _TCVN_SIGNS for w, _ in changed)
    return int(alone and len(_WORD.findall(text)) > 1)


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


def is_tcvn3(text: str) -> bool:
    """True when the text is legacy TCVN3 ("Hoµn thµnh") rather than Unicode, VNI or another language."""
    strength = _tcvn3_strength(text)
    return strength == 2 or (strength == 1 and not is_vni(text))


# ------------------------------------------------------------------ VNI
# VNI-Windows (VNI-Times fonts) writes a Vietnamese letter as an ASCII letter followed by a Latin-1
# character standing for its marks: "Hoaøn thaønh". Checked against two converters' tables, which agree
# with each other and with this one: src/charsets.ts of github.com/duydev/vietnamese-conversion and a
# VB.NET VNItoUNICODE (pairs "aù" -> á ... "YÕ" -> Ỹ, singles "ô" -> ơ ... "Ñ" -> Đ). Capitals take
# capital marks ("HOAØN", "UÛY"), and ỵ is "î" alone (there is no "yï").
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HATS = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVES = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_table() -> dict[str, str]:
    def nfc(s: str) -> str:
        return unicodedata.normalize("NFC", s)

    table = {"ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ", "ô": "ơ", "ö": "ư"}
    for vowel in "aeouyôö":
        base = table.get(vowel, vowel)
        table.update({vowel + code: nfc(base + mark) for code, mark in _VNI_TONES.items() if vowel + code != "yï"})
    for vowel in "aeo":
        table.update({vowel + code: nfc(vowel + "\u0302" + mark) for code, mark in _VNI_HATS.items()})
    table.update({"a" + code: nfc("a\u0306" + mark) for code, mark in _VNI_BREVES.items()})
    return table


# Lower-case codes -> letters. Codes match in any case and the letter takes the case of the code's first
# character: "AØ" and "Aø" -> "À" (the tables pair capitals with capital marks; a mixed pair is read alike
# so that recognizing a cell never depends on its case).
_FROM_VNI = _vni_table()
_VNI_CODE = re.compile("|".join(sorted(_FROM_VNI, key=len, reverse=True)), re.IGNORECASE)
# Marks that VNI has and no language writes after a letter (huyền, hỏi, nặng; ẩ ậ ẵ ặ; ư, ỉ, ỵ, đ).
_VNI_ONLY = frozenset("øûïåäüëöæîñØÛÏÅÄÜËÖÆÎÑ")
_CONSONANTS = frozenset("bcdđghklmnpqrstvx")


def _vni_letter(match: re.Match[str]) -> str:
    code = match.group()
    letter = _FROM_VNI[code.lower()]
    return letter.upper() if code[0].isupper() else letter


def _vni_word(word: str) -> str | None:
    if not _VNI_CODE.sub("", word).isascii():
        return None  # a Latin-1 character that is no part of a VNI letter ("é" after a consonant, "ç", "°")
    return _VNI_CODE.sub(_vni_letter, word)


def from_vni(text: str) -> str:
    """Convert VNI-Windows text to Unicode ("Hoaøn thaønh" -> "Hoàn thành")."""
    return _VNI_CODE.sub(_vni_letter, text)


def is_vni(text: str) -> bool:
    """True when the text is legacy VNI-Windows ("Hoaøn thaønh") rather than Unicode or another language.

    Beyond ``_read``'s conditions, a word not Vietnamese as written must be surely VNI: it has a mark no
    language writes after a letter ("ø" in "Haø", "ñ"), or a mark after a vowel in a word that starts with a
    consonant ("Baùo"), or gives đ ă â ê ô ơ ư ("Oâng"). French "où" -> "ó" is none of these. And that
    word must give đ ă â ê ô ơ ư, or the cell have two converted words ("chò Haø": "chò", VNI's chị, reads
    as Unicode too).
    """
    words = _read(text, _vni_word)
    if not words:
        return False
    changed, evidence = words
    for word, new in evidence:
        vietnamese_only = _has_letter(new, _VIETNAMESE_ONLY)
        sure = vietnamese_only or _VNI_ONLY.intersection(word) or new[0].lower() in _CONSONANTS
        if sure and (vietnamese_only or len(changed) >= 2):
            return True
    return False


def from_legacy(text: str) -> str:
    """The text converted to Unicode when it is TCVN3 or VNI (see ``is_tcvn3``, ``is_vni``), else as is."""
    strength = _tcvn3_strength(text)
    vni = strength < 2 and is_vni(text)
    if strength == 2 or (strength and not vni):
        return _WORD.sub(lambda m: _tcvn3_word(m.group()) or m.group(), text)  # word by word, as recognized
    return from_vni(text) if vni else text


# ------------------------------------------------------------------ control and invisible characters
# Control characters never reach stored text or a terminal: C0 (tab and newline become spaces like
# other white space), DEL, C1, and the bidi embeddings, overrides and isolates that make text display
# in another order than it is stored in (U+202A-U+202E, U+2066-U+2069).
_CONTROL_CHARS = "".join(
    chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
_NO_CONTROLS = {ord(c): (" " if c.isspace() else None) for c in _CONTROL_CHARS}
# Text copied from the web also brings zero-width characters (dropped) and non-breaking spaces (spaces).
# The soft hyphen U+00AD stays: it is TCVN3's "ư".
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_NO_BREAK_SPACES = "\xa0\u2007\u202f"
_INVISIBLE = re.compile(f"[{re.escape(_CONTROL_CHARS + _ZERO_WIDTH + _NO_BREAK_SPACES)}]")
_NO_INVISIBLES = {
    **_NO_CONTROLS,
    **dict.fromkeys(map(ord, _ZERO_WIDTH)),
    **dict.fromkeys(map(ord, _NO_BREAK_SPACES), " "),
}


def strip_controls(text: str) -> str:
    """The text without control or bidi-override characters (white-space ones become spaces), else as is.

    For names that must stay as written (a sheet's name); everything else passes through ``clean``.
    """
    return text.translate(_NO_CONTROLS) if _CONTROL.search(text) else text


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Text as stored: TCVN3 or VNI converted, Unicode NFC, control and zero-width characters dropped,
    whitespace (non-breaking spaces too) collapsed."""
    if _INVISIBLE.search(text):  # first: a bidi override or a no-break space would hide TCVN3 or VNI
        text = text.translate(_NO_INVISIBLES)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # before: decomposed VNI ("u" + U+0301 for "ù") is VNI too
        if max(text) <= "\xff":
            text = from_legacy(text)
    return " ".join(text.split())


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
