"""Text normalization: NFC, TCVN3, folding for tolerant matching."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.text import clean, fold, fold_words, from_tcvn3, is_tcvn3, is_vni, strip_controls, to_cp1258

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


# ------------------------------------------------------------------ legacy encodings: VNI and TCVN3
VNI_EXAMPLES = {
    "Hoaøn thaønh": "Hoàn thành",
    "Ñang thöïc hieän": "Đang thực hiện",
    "Tieåu ban": "Tiểu ban",
    "Phöôøng Yeân Bình": "Phường Yên Bình",
    "Chöa thöïc hieän": "Chưa thực hiện",
    "Ñaõ hoaøn thaønh": "Đã hoàn thành",
    "Vöôùng maéc": "Vướng mắc",
    "Thôøi haïn": "Thời hạn",
    "Quoác phoøng": "Quốc phòng",
    "Ngöôøi phuï traùch": "Người phụ trách",
    "Kyù teân": "Ký tên",
    "HOAØN THAØNH": "HOÀN THÀNH",
    "UÛY BAN NHAÂN DAÂN": "ỦY BAN NHÂN DÂN",
    "Baùo caùo tieán ñoä": "Báo cáo tiến độ",
    "chò Haø": "chị Hà",  # "chò" (VNI's chị) reads as Unicode too: the cell's other word decides
    "Ñaék Laék": "Đắk Lắk",
}
TCVN3_EXAMPLES = {
    "Hoµn thµnh": "Hoàn thành",
    "M\xadêng Kh\xad¬ng": "Mường Khương",
    "TiÓu ban": "Tiểu ban",
    "§¬n vÞ: Phßng Néi vô": "Đơn vị: Phòng Nội vụ",
    "§Ò xuÊt khen th\xadëng": "Đề xuất khen thưởng",
    "Kh¸nh tiÕt": "Khánh tiết",
    "Thñ tôc": "Thủ tục",
    "HOµN THµNH": "HOÀN THÀNH",
}


@pytest.mark.parametrize(("vni", "unicode"), VNI_EXAMPLES.items())
def test_vni_from_the_contract_is_converted(vni, unicode):
    assert is_vni(vni) and not is_tcvn3(vni)
    assert clean(vni) == unicode
    assert clean(unicodedata.normalize("NFD", vni)) == unicode  # decomposed ("u" + U+0301 for "ù") too


@pytest.mark.parametrize(("tcvn3", "unicode"), TCVN3_EXAMPLES.items())
def test_tcvn3_is_still_converted(tcvn3, unicode):
    assert is_tcvn3(tcvn3) and not is_vni(tcvn3)
    assert clean(tcvn3) == unicode


@pytest.mark.parametrize("french", ["Noël", "naïve", "août", "goût", "coût", "où", "maïs", "Montant dû", "« tôt »"])
def test_french_words_are_not_taken_for_legacy_text(french):
    assert not is_tcvn3(french) and not is_vni(french)
    assert clean(french) == french


def test_each_cell_decides_alone():
    # A report whose headings are Unicode and whose data cells are VNI: a cell with both stays as is.
    assert clean("Tiến độ: Hoaøn thaønh") == "Tiến độ: Hoaøn thaønh"
    assert [clean(c) for c in ("Tiến độ", "Hoaøn thaønh")] == ["Tiến độ", "Hoàn thành"]


def test_vietnamese_that_a_legacy_encoding_could_also_spell_stays_unicode():
    # "Tôi có" is VNI for "Tơi cĩ", "Hoà" VNI for "Hồ", "Bò" VNI for "Bị": as written they are Vietnamese.
    for text in ("Tôi có", "Tôi không có", "Hoà Bình", "Thanh Hoá", "Bò", "Cô Ba", "Còn hoãn", "Bình Tân", "Cà Mau"):
        assert not is_vni(text) and not is_tcvn3(text)
        assert clean(text) == text
    # The price: a VNI cell of such words alone ("Cô" for "Cơ", "chò" for "chị") stays as written.
    assert clean("Cô chò") == "Cô chò"


def test_one_vni_word_without_a_vietnamese_only_letter_is_too_little_to_go_on():
    assert clean("Hoaøn") == "Hoaøn"  # it could be a foreign word; "Ñaõ" (đ) or two words are enough
    assert clean("Ñaõ") == "Đã"


def test_zero_width_characters_are_dropped_and_no_break_spaces_are_spaces():
    assert clean("\ufeffHoàn\u200b thành\u200d\u200c\u2060") == "Hoàn thành"
    assert clean("Hoàn\xa0thành\u202fxong\u2007nhé") == "Hoàn thành xong nhé"
    assert clean("Hoaøn\u200b\xa0thaønh") == "Hoàn thành"  # they would hide VNI otherwise
    assert clean("M\xadêng\u200b Kh\xad¬ng") == "Mường Khương"  # the soft hyphen stays: it is TCVN3's "ư"
    assert clean("x\xady") == "x\xady"


# Common words: every tone, đ ă â ê ô ơ ư, old and new tone places (hoà, hòa), and words that read the same in
# VNI (bình, gìn: "ì" is VNI's ì) or that VNI spells as other Unicode words (cơ is "cô", bị is "bò").
VIETNAMESE_WORDS = """hoàn thành đang thực hiện chưa đã xong tiểu ban phường xã quận huyện tỉnh phố yên bình quốc
phòng an ninh công người phụ trách ký tên thời hạn vướng mắc kế hoạch nhiệm vụ báo cáo tiến độ đơn vị cấp trên
dưới nội dung việc làm của và là có không tôi chúng ta họ bị chị anh em cô cơ sở hoà hòa hoá hoãn còn kĩ mỹ thuỷ
thủy lợi đường nước điện lực khẩn trương ngày tháng năm giờ phút ở đây đó này kia nhà ăn uống ngủ mưa gió bão lũ
cứu hộ giữ gìn quân đội dân tự vệ xe ô tô khu vực ấp thôn bản làng tổ hà nội sài gòn huế đà nẵng cà mau tây dương
đồng nai ổn định sẵn sàng chiến đấu đảm bảo yêu cầu khuya ngoằn nghèo quyết giấy tờ quỳnh khuỷu thuở ngoài muối
rượu ếch ừ ạ ấy oai quý già giếng""".split()
# Words whose VNI spelling is itself Vietnamese as written: phố "phoá", vị "vò", bị "bò", chị "chò", cơ "cô", kĩ "kó".
READS_AS_UNICODE_IN_VNI = {"phố", "vị", "bị", "chị", "cơ", "kĩ"}
FRENCH_WORDS = """café élève être à où déjà garçon hôtel Noël naïve août coût goût forêt hôpital père mère français
théâtre côté château maïs été très voilà là le la les de du un une et est pour avec dans sur pas plus tout bien fête
même tête rêve prêt tôt bientôt plutôt côte rôle âme âge île dîner maître connaître dû sûr mûr crème fièvre leçon
façon reçu thé né clé école ça cœur sœur ambiguë canoë aïeul égoïste Noé Israël Citroën boîte jeûne bâton pâte
fenêtre drôle après « » ô""".split()
ENGLISH_WORDS = """the a and of to in is it you that was for on are with as his they be at one have this from by
report unit task done plan status deadline café naïve résumé fiancée déjà vu façade jalapeño piñata Zoë Brontë
coöperate £5 © ® 25°C ½ × 5×3 µ""".split()
CASES = st.sampled_from([str.lower, str.title, str.upper, str])


def sentences(vocabulary, min_size=1):
    cased = st.tuples(st.sampled_from(vocabulary), CASES).map(lambda wc: wc[1](wc[0]))
    return st.lists(cased, min_size=min_size, max_size=6).map(" ".join)


@pytest.mark.parametrize("vocabulary", [VIETNAMESE_WORDS, ENGLISH_WORDS, FRENCH_WORDS], ids=["vi", "en", "fr"])
@settings(max_examples=400)
@given(data=st.data())
def test_real_text_is_never_taken_for_legacy_text(vocabulary, data):
    text = data.draw(sentences(vocabulary))
    assert not is_tcvn3(text) and not is_vni(text)
    assert clean(text) == text


# VNI as the test reads the contract's table: tone codes after a vowel, hat and breve codes after a, e, o, and
# the letters that stand alone (ì í æ ó ò î ñ ô ö).
VNI_TONES = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_I = {"": "i", "\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
VNI_HAT = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
VNI_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}


def vni_letter(ch):
    parts = unicodedata.normalize("NFD", ch.lower())
    base = parts[0]
    tone = "".join(m for m in parts[1:] if m in VNI_TONES)
    shape = "".join(m for m in parts[1:] if m not in VNI_TONES)
    if base == "đ":
        code = "ñ"
    elif base == "i":
        code = VNI_I[tone]
    elif base == "y" and tone == "\u0323":
        code = "î"
    elif shape == "\u0306":
        code = "a" + VNI_BREVE[tone]
    elif shape == "\u0302":
        code = base + VNI_HAT[tone]
    elif shape == "\u031b":
        code = {"o": "ô", "u": "ö"}[base] + VNI_TONES[tone]
    else:
        code = base + VNI_TONES[tone]
    return code.upper() if ch.isupper() else code


def vni_encode(text):
    return "".join(vni_letter(ch) for ch in text)


def test_the_test_encoder_spells_the_contract_examples():
    assert {vni_encode(u) for u in VNI_EXAMPLES.values()} == set(VNI_EXAMPLES)


# Words that VNI changes. The cell converts when, besides, one of them is not Vietnamese as written.
SPELLED_OTHERWISE = [w for w in VIETNAMESE_WORDS if vni_encode(w) != w]
SURELY_VNI = [w for w in SPELLED_OTHERWISE if w not in READS_AS_UNICODE_IN_VNI]


def has_vietnamese_only_letter(word):  # đ ă â ê ô ơ ư, toned or not
    return any(c == "đ" or {"\u0306", "\u0302", "\u031b"} & set(unicodedata.normalize("NFD", c)) for c in word)


WITH_VIETNAMESE_ONLY_LETTER = [w for w in SURELY_VNI if has_vietnamese_only_letter(w)]


@settings(max_examples=400)
@given(sentences(SPELLED_OTHERWISE, min_size=2).filter(lambda s: any(w.lower() in SURELY_VNI for w in s.split())))
def test_vietnamese_sentences_written_in_vni_read_back_exactly(text):
    assert clean(vni_encode(text)) == text


@given(st.sampled_from(WITH_VIETNAMESE_ONLY_LETTER), st.sampled_from([str.lower, str.title, str.upper]))
def test_a_single_vni_word_with_a_vietnamese_only_letter_reads_back(word, case):
    assert clean(vni_encode(case(word))) == case(word)
