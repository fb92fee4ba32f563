"""Names matched tolerantly: what a header cell means, and which unit or subcommittee a text names."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..config import Config
from ..text import clean, fold, fold_words

# Column meaning -> accepted header names (folded when used).
COLUMNS: dict[str, list[str]] = {
    "code": ["Mã", "Mã nhiệm vụ", "Mã NV", "Mã công việc", "Mã số", "Code", "ID", "Task ID"],
    "task": [
        "Nội dung",
        "Nội dung công việc",
        "Nhiệm vụ",
        "Công việc",
        "Task",
        "Nội dung nhiệm vụ",
        "Tên nhiệm vụ",
        "Tên công việc",
        "Nội dung thực hiện",
        "Tasks",
    ],
    "subcommittee": ["Tiểu ban", "Tiểu ban phụ trách", "Subcommittee", "Thuộc tiểu ban", "Tiểu ban chủ trì"],
    "deadline": [
        "Thời hạn",
        "Hạn hoàn thành",
        "Thời gian hoàn thành",
        "Deadline",
        "Hạn",
        "Thời hạn hoàn thành",
        "Due",
        "Due date",
        "Ngày hoàn thành",
    ],
    "status": [
        "Trạng thái",
        "Tình trạng",
        "Kết quả thực hiện",
        "Status",
        "Kết quả",
        "Tình trạng thực hiện",
        "Tình hình thực hiện",
    ],
    "percent": [
        "Tỷ lệ",
        "Tỷ lệ hoàn thành",
        "% hoàn thành",
        "Tiến độ (%)",
        "Tiến độ",
        "Percent",
        "%",
        "Tỉ lệ",
        "Tỉ lệ hoàn thành",
        "Percent complete",
        "% complete",
        "Mức độ hoàn thành",
    ],
    "owner": [
        "Người phụ trách",
        "Cán bộ phụ trách",
        "Phụ trách",
        "Owner",
        "Người thực hiện",
        "Cán bộ thực hiện",
        "Người chịu trách nhiệm",
    ],
    "weight": ["Trọng số", "Weight"],
    "note": ["Ghi chú", "Vướng mắc", "Note", "Notes", "Khó khăn, vướng mắc", "Khó khăn vướng mắc"],
    "unit": ["Đơn vị", "Unit", "Đơn vị thực hiện", "Đơn vị báo cáo"],
    "seq": ["STT", "TT", "Số TT", "Số thứ tự", "No", "#"],
}
_EXACT = {fold(name): meaning for meaning, names in COLUMNS.items() for name in names if fold(name)}
_PREFIXES = sorted(((k, m) for k, m in _EXACT.items() if len(k) >= 5), key=lambda km: -len(km[0]))
_NOT_COLUMNS = {"donvitinh"}  # "Đơn vị tính" is a unit of measure, not the reporting unit

# The numbering before a section heading's name: "I.", "B)", "Phần II:".
HEADING_PREFIX = re.compile(r"^\s*(?:[IVXLC]+|[A-Ea-e])\s*[.\-/)]\s*|^\s*(?:PHẦN|Phần|MỤC|Mục)\s+\S+\s*[.:\-]?\s*")


def column_meaning(header: object) -> str | None:
    """What a header cell names ('Tỷ lệ hoàn thành (%)' -> 'percent'), or None."""
    return _meaning_of(fold(header))


@lru_cache(maxsize=16384)
def _meaning_of(key: str) -> str | None:
    if not key or key in _NOT_COLUMNS or len(key) > 60:  # header names are short; task texts are not
        return None
    if key in _EXACT:
        return _EXACT[key]
    if "%" in key and (bare := key.replace("%", "")) in _EXACT:  # "Tỷ lệ (%)" names the percent column
        return _EXACT[bare]
    for prefix, meaning in _PREFIXES:
        if key.startswith(prefix):
            return meaning
    return None


_WORD_FORMS = {"p": "phuong", "x": "xa", "tp": "thanh pho", "tt": "thi tran", "q": "quan", "h": "huyen"}


def canon_unit(text: object) -> str:
    """A unit's name reduced for matching: 'UBND P. Yên Bình' and 'phuong yen binh' agree."""
    words = fold_words(text).split()
    words = [_WORD_FORMS.get(w, w) for w in words]
    s = " ".join(words)
    for prefix in ("ubnd ", "uy ban nhan dan "):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix) :]
    return s.replace(" ", "")


class Names:
    """Known units and subcommittees of an exercise, matched tolerantly."""

    def __init__(self, config: Config):
        self.config = config
        self.units: dict[str, str] = {}
        for u in config.units:
            for n in (u.name, *u.aliases):
                self.units[canon_unit(n)] = u.name
        self.subs: dict[str, str] = {}
        self._sub_cache: dict[str, str | None] = {}
        for s in config.subcommittees:
            for n in (s.name, s.short, *s.aliases):
                self.subs[fold(n)] = s.name
                self.subs[self._sub_key(n)] = s.name

    @staticmethod
    def _sub_key(text: object) -> str:
        key = fold(HEADING_PREFIX.sub("", clean(str(text))))
        for prefix in ("tieuban", "tb"):
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                return key[len(prefix) :]
        return key

    def unit(self, text: object) -> str | None:
        """The unit a text names, or None."""
        return self.units.get(canon_unit(text)) if text else None

    def unit_suggestions(self, text: object, limit: int = 3) -> list[str]:
        """The known units closest to a text, for a message."""
        choices = {u.name: canon_unit(u.name) for u in self.config.units}
        found = process.extract(canon_unit(text), choices, scorer=fuzz.WRatio, limit=limit)
        return [name for _, _, name in found]

    def subcommittee_suggestions(self, text: object, limit: int = 2) -> list[str]:
        """The short names of the subcommittees closest to a text (by any of their names), for a message."""
        choices = {}
        for s in self.config.subcommittees:
            for n in (s.name, s.short, *s.aliases):
                choices[(s.short, n)] = self._sub_key(n)
        found = process.extract(self._sub_key(text), choices, scorer=fuzz.WRatio, limit=limit * 4)
        shorts = list(dict.fromkeys(key[0] for _, _, key in found))
        return shorts[:limit]

    def subcommittee(self, text: object) -> str | None:
        """The subcommittee a text names ('TB văn kiện', 'I. Tiểu ban văn kiện'), or None."""
        if not text:
            return None
        key = fold(text)
        if key not in self._sub_cache:
            self._sub_cache[key] = self.subs.get(key) or self.subs.get(self._sub_key(text))
        return self._sub_cache[key]
