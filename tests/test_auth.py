"""Accounts, roles and the rule of who may send for which unit, enforced in the core."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import ROOT, standard_rows, xlsx

from readiness.auth import Accounts, AuthError, Forbidden, User
from readiness.store import Incoming, Store, rebuild

T0 = dt.datetime(2023, 9, 20, 9, 0)


@pytest.fixture
def accounts(tmp_path, config):
    return Accounts(tmp_path / "users.json", [u.name for u in config.units])


def test_passwords_are_stored_only_as_argon2_hashes(accounts):
    accounts.add("yenbinh", "mat-khau-dai", "uploader", ["Phường Yên Bình"])
    text = accounts.path.read_text(encoding="utf-8")
    assert "mat-khau-dai" not in text
    assert json.loads(text)["users"][0]["password_hash"].startswith("$argon2")
    assert accounts.login("yenbinh", "mat-khau-dai") == User("yenbinh", "uploader", ("Phường Yên Bình",))


def test_bad_accounts_are_refused(accounts):
    with pytest.raises(AuthError, match="ít nhất 8"):
        accounts.add("a-user", "short", "uploader", ["Phường Yên Bình"])
    with pytest.raises(AuthError, match="ít nhất một đơn vị"):
        accounts.add("a-user", "long-enough", "uploader", [])
    with pytest.raises(AuthError, match="unknown units"):
        accounts.add("a-user", "long-enough", "uploader", ["Phường Không Có"])
    accounts.add("a-user", "long-enough", "viewer")
    with pytest.raises(AuthError, match="đã có"):
        accounts.add("a-user", "long-enough", "viewer")


def test_repeated_failed_logins_are_slowed(accounts):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    for i in range(3):
        with pytest.raises(AuthError, match="Sai"):
            accounts.login("thuky", "sai", now=T0 + dt.timedelta(seconds=i))
    # The third failure starts a wait: even the right password is not checked until it ends.
    with pytest.raises(AuthError, match="thử lại sau"):
        accounts.login("thuky", "dung-mat-khau", now=T0 + dt.timedelta(seconds=3))
    assert accounts.login("thuky", "dung-mat-khau", now=T0 + dt.timedelta(seconds=10)).role == "secretariat"
    with pytest.raises(AuthError, match="Sai"):
        accounts.login("nobody", "whatever")


def test_an_uploader_cannot_store_a_report_for_another_unit(store):
    uploader = User("yenson", "uploader", ("Xã Yên Sơn",))
    data = xlsx({"S": standard_rows("Phường Yên Bình")})
    (out,) = store.ingest_many([Incoming(data, "yb.xlsx", source="upload")], user=uploader)
    assert out.status == "rejected"
    assert [m.code for m in out.errors] == ["not_your_unit"]
    assert "Xã Yên Sơn" in out.errors[0].message and "Phường Yên Bình" in out.errors[0].message
    assert store.query("heatmap").empty
    assert store.archive.get(out.sha256) == data  # the bytes are still kept
    own = xlsx({"S": standard_rows("Xã Yên Sơn")})
    (ok,) = store.ingest_many([Incoming(own, "ys.xlsx", source="upload")], user=uploader)
    assert ok.status == "accepted"
    who = store.con.execute("SELECT submitted_by FROM submissions WHERE id = ?", [ok.submission_id]).fetchone()
    assert who == ("yenson",)
    audit = store.con.execute("SELECT actor, action FROM audit ORDER BY happened_at").fetchall()
    assert audit == [("yenson", "upload"), ("yenson", "upload")]


def test_a_viewer_cannot_upload_and_only_the_secretariat_withdraws(store):
    with pytest.raises(Forbidden):
        store.ingest_many([Incoming(b"x", "a.csv", source="upload")], user=User("v", "viewer"))
    (out,) = store.ingest_many(
        [Incoming(xlsx({"S": standard_rows()}), "a.xlsx", source="upload")], user=User("tk", "secretariat")
    )
    with pytest.raises(Forbidden):
        store.withdraw(out.submission_id, User("yb", "uploader", ("Phường Yên Bình",)), "sai số liệu")


def _report(progress, date):
    tasks = [[1, "Phương án bảo đảm an ninh", "An ninh", "10/10/2023", "Đang thực hiện", progress, "", ""]]
    return xlsx({"S": standard_rows("Phường Yên Bình", date, tasks)})


def test_withdrawal_restores_the_previous_figures_and_survives_rebuild(tmp_path, config):
    db, archive = tmp_path / "w.duckdb", tmp_path / "archive"
    secretary = User("thuky", "secretariat")
    with Store(db, config, archive) as s:
        s.ingest_bytes(_report(40, "15/09/2023"), "w1.xlsx", received_at=T0)
        wrong = s.ingest_bytes(_report(95, "22/09/2023"), "w2.xlsx", received_at=T0 + dt.timedelta(days=7))
        assert s.query("heatmap").readiness.tolist() == [95.0]
        with pytest.raises(ValueError, match="lý do"):
            s.withdraw(wrong.submission_id, secretary, "  ")
        s.withdraw(wrong.submission_id, secretary, "Số liệu nhập nhầm", at=T0 + dt.timedelta(days=7, hours=1))
        assert s.query("heatmap").readiness.tolist() == [40.0]
        row = s.con.execute(
            "SELECT status, withdrawn_by, withdrawn_reason FROM submissions WHERE id = ?", [wrong.submission_id]
        ).fetchone()
        assert row == ("accepted", "thuky", "Số liệu nhập nhầm")
        assert s.con.execute("SELECT count(*) FROM audit WHERE action = 'withdraw'").fetchone()[0] == 1
    rebuild(db, config, archive)
    with Store(db, config, archive) as s:
        assert s.query("heatmap").readiness.tolist() == [40.0]
        assert s.con.execute("SELECT withdrawn_by FROM submissions WHERE withdrawn_at IS NOT NULL").fetchall() == [
            ("thuky",)
        ]


def test_rebuild_keeps_an_uploaders_refusal(tmp_path, config):
    db, archive = tmp_path / "r.duckdb", tmp_path / "archive"
    with Store(db, config, archive) as s:
        s.ingest_many(
            [Incoming(_report(50, "15/09/2023"), "x.xlsx", source="upload")],
            user=User("ys", "uploader", ("Xã Yên Sơn",)),
        )
    (out,) = rebuild(db, config, archive)
    assert out.status == "rejected" and out.errors[0].code == "not_your_unit"


def test_user_command_line(tmp_path):
    db = tmp_path / "u.duckdb"

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "readiness", "--db", str(db), "user", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    assert (
        run(
            "add", "yenbinh", "--role", "uploader", "--unit", "P. Yên Bình", "--password-stdin", stdin="mot-mat-khau\n"
        ).returncode
        == 0
    )
    listed = run("list").stdout
    assert "yenbinh\tuploader\tPhường Yên Bình" in listed
    assert run("passwd", "yenbinh", "--password-stdin", stdin="mat-khau-moi\n").returncode == 0
    assert Accounts(tmp_path / "users.json").login("yenbinh", "mat-khau-moi").username == "yenbinh"
    bad = run("add", "x1", "--role", "uploader", "--unit", "Phường Tân Bình", "--password-stdin", stdin="abcdefghi\n")
    assert bad.returncode == 2 and "Phường Yên Bình" in bad.stderr
    assert run("remove", "yenbinh").returncode == 0
    assert run("remove", "yenbinh").returncode == 2
    with Store(db, __import__("readiness.config", fromlist=["x"]).load_config(ROOT / "data" / "exercise.toml")) as s:
        actions = [r[0] for r in s.con.execute("SELECT action FROM audit ORDER BY happened_at").fetchall()]
    assert actions == ["user_add", "user_passwd", "user_remove"]
