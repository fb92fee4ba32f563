"""The exercise config: the shipped Tam Điệp file, and bad values named by their key."""

import datetime as dt
import tomllib

import pytest
from conftest import ROOT

from readiness.config import ConfigError, load_config, parse_config


def test_shipped_tam_diep_config(config):
    assert config.d_day == dt.datetime(2023, 11, 15, 7, 30)
    assert config.report_interval_days == 7
    assert config.assessment_threshold == 80
    assert [s.short for s in config.subcommittees] == ["Văn kiện", "An ninh", "Khánh tiết", "Hậu cần", "Thực binh"]
    assert len(config.units) == 16
    assert [u.name for u in config.units if u.level == "commune"] == ["Phường Yên Bình", "Xã Đông Sơn", "Xã Yên Sơn"]
    bchqs = config.units[0]
    assert (bchqs.name, bchqs.aliases) == ("Ban Chỉ huy Quân sự thành phố", ("Ban CHQS thành phố", "BCHQS TP"))
    assert config.milestones[-1].date == config.d_day


def test_short_english_names_are_optional(config):
    assert [s.short_en for s in config.subcommittees] == [
        "Documents",
        "Security",
        "Publicity",
        "Logistics",
        "Live troops",
    ]
    data = _base()
    del data["subcommittees"][0]["short_en"]
    assert parse_config(data).subcommittees[0].short_en == ""
    data["subcommittees"][1]["short_en"] = 7
    with pytest.raises(ConfigError, match=r"^subcommittees\[1\]\.short_en"):
        parse_config(data)


def _base():
    return tomllib.loads((ROOT / "data" / "exercise.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d["units"][3].update(level="town"), "units[3].level"),
        (lambda d: d["exercise"].update(d_day="15/11/2023"), "exercise.d_day"),
        (lambda d: d["units"][5].update(name="Công an thành phố"), "units.name[5]"),
        (lambda d: d["units"][7].update(aliases=["CATP"]), "units.aliases"),
        (lambda d: d["exercise"].update(report_interval_days=0), "exercise.report_interval_days"),
        (lambda d: d["milestones"][1].update(date="soon"), "milestones[1].date"),
        (lambda d: d.pop("exercise"), "[exercise]"),
        (lambda d: d["exercise"].update(timezone="Mars/Olympus"), "exercise.timezone"),
        (lambda d: d["exercise"].update(assessment_threshold=120), "exercise.assessment_threshold"),
        (lambda d: d["exercise"].update(assessment_threshold="80%"), "exercise.assessment_threshold"),
        (lambda d: d["meetings"][1].update(date="thứ Hai"), "meetings[1].date"),
        (lambda d: d["meetings"][0].pop("date"), "meetings[0].date"),
        (lambda d: d["meetings"][2].update(name=""), "meetings[2].name"),
        (lambda d: d.update(meetings=["Giao ban"]), "meetings[0]"),
        (lambda d: d["units"][2].update(phone=912345678), "units[2].phone"),
        (lambda d: d["units"][2].update(phone="gọi văn phòng"), "units[2].phone"),
        (lambda d: d["units"][4].update(contact=["Đ/c A"]), "units[4].contact"),
        (lambda d: d["brief"].update(place=7), "brief.place"),
        (lambda d: d["brief"].update(numbr="Số: 12/BC"), "brief.numbr"),
        (lambda d: d.update(brief="Ban Tổ chức"), "brief"),
    ],
)
def test_bad_values_fail_naming_the_key(change, key):
    data = _base()
    change(data)
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert str(err.value).startswith(key)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[exercise\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


def test_meetings_contacts_and_the_brief_header(config):
    assert [(m.name, m.day) for m in config.meetings] == [
        ("Giao ban lần 1", dt.date(2023, 9, 18)),
        ("Giao ban lần 2", dt.date(2023, 10, 16)),
        ("Giao ban lần 3, trước hợp luyện", dt.date(2023, 10, 30)),
    ]
    assert config.meetings[0].name_en == "Coordination meeting 1"
    assert all(u.contact.startswith("Đ/c ") and u.phone for u in config.units)
    yb = next(u for u in config.units if u.name == "Phường Yên Bình")
    assert (yb.contact, yb.phone) == ("Đ/c Phan Văn Khải, Chỉ huy trưởng Ban CHQS phường", "0948 246 357")
    assert config.brief.body == "Ban Tổ chức diễn tập" and config.brief.place == "Tam Điệp"
    assert config.brief.number == "Số:      /BC-BTC"  # the blank for the hand-written number stays
    assert config.brief.signer_title == "TM. BAN TỔ CHỨC\nTRƯỞNG BAN" and config.brief.signer == ""


def test_a_config_without_meetings_contacts_or_brief_still_loads():
    data = _base()
    del data["meetings"], data["brief"]
    for u in data["units"]:
        u.pop("contact"), u.pop("phone")
    config = parse_config(data)
    assert config.meetings == ()
    assert (config.units[0].contact, config.units[0].phone) == ("", "")
    assert (config.brief.body, config.brief.number, config.brief.place, config.brief.signer_title) == (
        "",
        "Số:      /BC",
        "",
        "",
    )


def test_meetings_are_sorted_and_phones_read_as_written():
    data = _base()
    data["meetings"].reverse()
    data["units"][0]["phone"] = "(0229) 3864 123"
    data["units"][1]["phone"] = "+84 912.345.678"
    data["brief"]["number"] = ""
    config = parse_config(data)
    assert [m.day for m in config.meetings] == sorted(m.day for m in config.meetings)
    assert [u.phone for u in config.units[:2]] == ["(0229) 3864 123", "+84 912.345.678"]
    assert config.brief.number == ""
