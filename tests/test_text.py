"""Text normalization: NFC, TCVN3, folding for tolerant matching."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from readiness.text import clean, fold, fold_words, from_tcvn3, is_tcvn3, strip_controls, to_cp1258

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
# Words as people type them: lower case, capitals, or a capital first letter.
word = st.tuples(
    st.text(alphabet=VIETNAMESE, min_size=1, max_size=8), st.sampled_from([str.lower, str.upper, str.title])
)
words = st.lists(word.map(lambda wc: wc[1](wc[0])), min_size=1, max_size=6).map(" ".join)


def test_tcvn3_example_from_the_contract():
    assert is_tcvn3("Hoµn thµnh")
    assert clean("Hoµn thµnh") == "Hoàn thành"
    assert clean("M\xadêng Kh\xad¬ng") == "Mường Khương"


def test_capitals_typed_with_vntimeh_stay_capitals():
    assert from_tcvn3("HOµN THµNH") == "HOÀN THÀNH"


def test_ordinary_unicode_and_latin_text_is_not_taken_for_tcvn3():
    for text in ("Hoàn thành", "Café", "Tỷ lệ (%)", "ĐÃ XONG", "Ô Môn", "Ý kiến"):
        assert not is_tcvn3(text)
        assert clean(text) == text


@given(words)
def test_fold_ignores_case_diacritics_spacing_and_composition(text):
    variants = [text.upper(), text.lower(), unicodedata.normalize("NFD", text), "  " + text.replace(" ", "   ") + " "]
    assert {fold(v) for v in variants} == {fold(text)}


@given(words)
def test_clean_is_nfc_and_idempotent(text):
    once = clean(unicodedata.normalize("NFD", text))
    assert unicodedata.is_normalized("NFC", once)
    assert clean(once) == once


@given(words)
def test_cp1258_as_excel_saves_it_decodes_back_to_the_same_text(text):
    assert unicodedata.normalize("NFC", to_cp1258(text).decode("cp1258")) == unicodedata.normalize("NFC", text)


def test_fold_words_keeps_word_boundaries():
    assert fold_words("P. Yên Bình") == "p yen binh"
    assert fold("Tỷ lệ (%)") == "tyle%"


# C0 but tab and newline (they are white space), DEL, C1 and the bidi embeddings, overrides, isolates.
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
controls = st.sampled_from([c for c in CONTROLS if c not in "\t\n"])


@given(st.text())
def test_no_control_or_bidi_character_survives_clean(text):
    assert not set(clean(text)) & set(CONTROLS)
    assert not set(strip_controls(text)) & set(CONTROLS)


@given(words, st.lists(st.tuples(st.integers(min_value=0, max_value=40), controls), max_size=4))
def test_controls_inside_vietnamese_text_are_dropped_and_the_words_kept(text, inserts):
    dirty = text
    for at, ch in inserts:
        if not ch.isspace():  # white-space controls separate words, as a space would
            dirty = dirty[:at] + ch + dirty[at:]
    assert clean(dirty) == clean(text)


def test_controls_are_dropped_before_tcvn3_is_recognized():
    assert clean("Hoµn\u202e thµnh\x00") == "Hoàn thành"
    assert clean("Việc\x0bcần làm") == "Việc cần làm"  # a line break pasted from Word stays a break


def test_strip_controls_keeps_a_name_as_written_but_for_its_controls():
    assert strip_controls("Tiến độ  ") == "Tiến độ  "
    assert strip_controls("Tiến\u202e độ\x00") == "Tiến độ"
