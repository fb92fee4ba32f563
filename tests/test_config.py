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
