"""The exercise config: a TOML file the secretariat edits (exercise, milestones, meetings, subcommittees,
units with their contacts, and the brief's administrative header)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .text import clean, fold_words, strip_controls

LEVELS = ("city", "commune")


class ConfigError(ValueError):
    """A config value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Milestone:
    name: str
    date: dt.datetime
    name_en: str = ""


@dataclass(frozen=True)
class Meeting:
    """A coordination meeting (họp giao ban): past ones are the reference points of "since"."""

    name: str
    date: dt.datetime
    name_en: str = ""

    @property
    def day(self) -> dt.date:
        return self.date.date()


@dataclass(frozen=True)
class Subcommittee:
    name: str
    short: str
    aliases: tuple[str, ...] = ()
    name_en: str = ""
    short_en: str = ""  # for narrow columns in English; empty: the short name


@dataclass(frozen=True)
class Unit:
    name: str
    level: str
    aliases: tuple[str, ...] = ()
    contact: str = ""  # who the secretariat calls ("Đ/c Nguyễn Văn A"); empty: nobody named
    phone: str = ""


@dataclass(frozen=True)
class BriefHeader:
    """The administrative header of the meeting brief. Empty parts are left out of the brief."""

    body: str = ""  # the issuing body under the exercise's issuer, e.g. "Ban Tổ chức diễn tập"
    number: str = "Số:      /BC"  # the document number, filled in by hand when it is signed
    place: str = ""  # the place before the date: "Tam Điệp, ngày 01 tháng 10 năm 2023"
    signer_title: str = ""  # e.g. "TM. BAN TỔ CHỨC\nTRƯỞNG BAN" (lines); empty: no signature block
    signer: str = ""


@dataclass(frozen=True)
class Config:
    name: str
    d_day: dt.datetime
    report_interval_days: int = 7
    timezone: str = "Asia/Ho_Chi_Minh"
    max_upload_mb: int = 20
    assessment_threshold: float = 80.0  # a unit rating itself "Đạt" under this readiness is flagged
    issuer: str = ""
    require_login: bool = False
    inbox: str = ""
    milestones: tuple[Milestone, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    subcommittees: tuple[Subcommittee, ...] = ()
    units: tuple[Unit, ...] = ()
    brief: BriefHeader = BriefHeader()
    source: Path | None = field(default=None, compare=False)

    @property
    def year(self) -> int:
        return self.d_day.year


def _text(value: object, key: str) -> str:
    if not isinstance(value, str) or not clean(value):
        raise ConfigError(f"{key}: cần một chuỗi không rỗng / must be a non-empty string (got {value!r})")
    return clean(value)


def _optional_text(value: object, key: str) -> str:
    return "" if value is None else _text(value, key)


def _datetime(value: object, key: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(
        f"{key}: không phải ngày giờ hợp lệ / not a valid date-time (got {value!r}); ví dụ / e.g. 2023-11-15T07:30:00"
    )


# A phone number as people write it: digits with spaces, dots, dashes, brackets, a leading +, and
# "/" or "," between two numbers ("0912 345 678", "(0229) 3864 123", "+84 912.345.678").
_PHONE = re.compile(r"\+?\(?[0-9][0-9 .()\-/,+]*[0-9]")


def _phone(value: object, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ConfigError(
            f"{key}: ghi số điện thoại trong ngoặc kép / write the phone number in quotes "
            f'(got {value!r}; e.g. "0912 345 678")'
        )
    text = _text(value, key)
    if not _PHONE.fullmatch(text):
        raise ConfigError(f"{key}: số điện thoại không hợp lệ / not a phone number (got {value!r})")
    return text


def _string(value: object, key: str) -> str:
    """Any string, empty too (an empty brief.number leaves the number out); inner runs of spaces
    stay (the blank left in "Số:      /BC-BCĐ" for the number written by hand)."""
    if not isinstance(value, str):
        raise ConfigError(f"{key}: cần một chuỗi / must be a string (got {value!r})")
    lines = (unicodedata.normalize("NFC", strip_controls(line)).strip() for line in value.strip().split("\n"))
    return "\n".join(lines)  # a signer's title may take two lines


def _table(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: cần một bảng / must be a table (got {value!r})")
    return value


def _aliases(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{key}: cần một danh sách chuỗi / must be a list of strings (got {value!r})")
    return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))


def _positive_int(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{key}: cần một số nguyên dương / must be a positive integer (got {value!r})")
    return value


def _unique(names: list[str], key: str) -> None:
    seen: dict[str, str] = {}
    for i, name in enumerate(names):
        k = fold_words(name)
        if k in seen:
            raise ConfigError(
                f"{key}[{i}]: tên hoặc bí danh '{name}' trùng với '{seen[k]}' / "
                f"name or alias '{name}' duplicates '{seen[k]}'"
            )
        seen[k] = name


def parse_config(data: dict, source: Path | None = None) -> Config:
    """Validate a parsed TOML document into a Config; raise ConfigError naming the bad key."""
    ex = data.get("exercise")
    if not isinstance(ex, dict):
        raise ConfigError("[exercise]: thiếu bảng này / this table is missing")
    name = _text(ex.get("name"), "exercise.name")
    if "d_day" not in ex:
        raise ConfigError("exercise.d_day: thiếu / missing")
    d_day = _datetime(ex["d_day"], "exercise.d_day")
    interval = _positive_int(ex.get("report_interval_days", 7), "exercise.report_interval_days")
    max_mb = _positive_int(ex.get("max_upload_mb", 20), "exercise.max_upload_mb")
    threshold = ex.get("assessment_threshold", 80)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
        raise ConfigError(f"exercise.assessment_threshold: cần số 0-100 / must be a number 0-100 (got {threshold!r})")
    tz = ex.get("timezone", "Asia/Ho_Chi_Minh")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)
    except Exception as exc:
        raise ConfigError(f"exercise.timezone: múi giờ không hợp lệ / unknown time zone {tz!r}") from exc

    milestones = []
    for i, m in enumerate(data.get("milestones", []) or []):
        key = f"milestones[{i}]"
        if not isinstance(m, dict):
            raise ConfigError(f"{key}: cần một bảng / must be a table")
        milestones.append(
            Milestone(
                _text(m.get("name"), f"{key}.name"),
                _datetime(m.get("date"), f"{key}.date"),
                m.get("name_en", "") or "",
            )
        )
    milestones.sort(key=lambda m: m.date)

    meetings = []
    for i, m in enumerate(data.get("meetings", []) or []):
        key = f"meetings[{i}]"
        if not isinstance(m, dict):
            raise ConfigError(f"{key}: cần một bảng / must be a table")
        if "date" not in m:
            raise ConfigError(f"{key}.date: thiếu / missing")
        meetings.append(
            Meeting(
                _text(m.get("name"), f"{key}.name"),
                _datetime(m["date"], f"{key}.date"),
                _optional_text(m.get("name_en"), f"{key}.name_en"),
            )
        )
    meetings.sort(key=lambda m: m.date)

    subs = []
    for i, s in enumerate(data.get("subcommittees", []) or []):
        key = f"subcommittees[{i}]"
        if not isinstance(s, dict):
            raise ConfigError(f"{key}: cần một bảng / must be a table")
        sname = _text(s.get("name"), f"{key}.name")
        subs.append(
            Subcommittee(
                sname,
                _text(s.get("short", sname), f"{key}.short"),
                _aliases(s.get("aliases"), f"{key}.aliases"),
                s.get("name_en", "") or "",
                _optional_text(s.get("short_en"), f"{key}.short_en"),
            )
        )
    if not subs:
        raise ConfigError("subcommittees: cần ít nhất một tiểu ban / at least one subcommittee is needed")
    _unique([s.name for s in subs], "subcommittees.name")

    units = []
    for i, u in enumerate(data.get("units", []) or []):
        key = f"units[{i}]"
        if not isinstance(u, dict):
            raise ConfigError(f"{key}: cần một bảng / must be a table")
        level = u.get("level")
        if level not in LEVELS:
            raise ConfigError(
                f"{key}.level: '{level}' không hợp lệ, chỉ nhận 'city' hoặc 'commune' / "
                f"unknown level '{level}', expected 'city' or 'commune'"
            )
        units.append(
            Unit(
                _text(u.get("name"), f"{key}.name"),
                level,
                _aliases(u.get("aliases"), f"{key}.aliases"),
                _optional_text(u.get("contact"), f"{key}.contact"),
                _phone(u.get("phone"), f"{key}.phone"),
            )
        )
    if not units:
        raise ConfigError("units: cần ít nhất một đơn vị / at least one unit is needed")
    _unique([u.name for u in units], "units.name")
    _unique([n for u in units for n in (u.name, *u.aliases)], "units.aliases")

    issuer = ex.get("issuer", "")
    if not isinstance(issuer, str):
        raise ConfigError(f"exercise.issuer: cần một chuỗi / must be a string (got {issuer!r})")
    access = data.get("access", {}) or {}
    require_login = access.get("require_login", False)
    if not isinstance(require_login, bool):
        raise ConfigError(f"access.require_login: cần true hoặc false / must be true or false (got {require_login!r})")
    paths = data.get("paths", {}) or {}
    inbox = paths.get("inbox", "")
    if not isinstance(inbox, str):
        raise ConfigError(f"paths.inbox: cần một đường dẫn / must be a folder path (got {inbox!r})")
    brief = _table(data, "brief")
    header = BriefHeader(
        **{
            k: _string(brief[k], f"brief.{k}")
            for k in ("body", "number", "place", "signer_title", "signer")
            if k in brief
        }
    )
    unknown = sorted(set(brief) - {"body", "number", "place", "signer_title", "signer"})
    if unknown:
        raise ConfigError(
            f"brief.{unknown[0]}: khóa không rõ / unknown key; có / available: body, number, place, signer_title, signer"
        )
    return Config(
        name=name,
        d_day=d_day,
        report_interval_days=interval,
        timezone=tz,
        max_upload_mb=max_mb,
        assessment_threshold=float(threshold),
        issuer=clean(issuer),
        require_login=require_login,
        inbox=inbox,
        milestones=tuple(milestones),
        meetings=tuple(meetings),
        subcommittees=tuple(subs),
        units=tuple(units),
        brief=header,
        source=source,
    )


def load_config(path: str | Path) -> Config:
    """Read and validate the exercise config file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: không tìm thấy tệp cấu hình / config file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML không hợp lệ / invalid TOML: {exc}") from exc
    return parse_config(data, path)
