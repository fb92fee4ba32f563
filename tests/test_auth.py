"""Accounts, roles and the rule of who may send for which unit, enforced in the core."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from conftest import ROOT, standard_rows, xlsx
from streamlit.testing.v1 import AppTest

from readiness import auth
from readiness.auth import Accounts, AuthError, Forbidden, User, users_path
from readiness.rebuild import rebuild
from readiness.store import Incoming, Store

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


# ---------------------------------------------------------------- concurrency, file modes, throttling, audit


class CountingHasher(PasswordHasher):
    """Cheap Argon2 (what is tested is the file and the throttle, not the hash) that counts its checks."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash, password):
        self.checked.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch):
    h = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", h)
    auth._dummy_hash.cache_clear()
    yield h
    auth._dummy_hash.cache_clear()


ADDER = """
import sys, time
from pathlib import Path
from argon2 import PasswordHasher
from readiness import auth
auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
accounts, who, go = auth.Accounts(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
for i in range(15):
    accounts.add(f"{who}-{i:02d}", "mat-khau-dai", "viewer")
"""


def test_three_processes_adding_accounts_at_once_keep_all_of_them(tmp_path):
    path, go = tmp_path / "users.json", tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), who, str(go)], cwd=ROOT, stderr=subprocess.PIPE)
        for who in ("p1", "p2", "p3")
    ]
    go.touch()  # all three start together, once their imports are done
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    names = sorted(u.username for u in Accounts(path).list())
    assert names == sorted(f"{who}-{i:02d}" for who in ("p1", "p2", "p3") for i in range(15))
    assert sorted(os.listdir(tmp_path)) == ["go", "users.json", "users.json.lock"]  # no temp file left


def test_the_account_files_are_private_from_the_moment_they_exist(tmp_path, monkeypatch, hasher):
    seen = {}
    real_replace = os.replace

    def replace(src, dst):
        seen[os.path.basename(dst)] = os.stat(src).st_mode & 0o777  # the temp file, before it takes the name
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    old_umask = os.umask(0)  # a careless umask must not open them up either
    try:
        accounts = Accounts(tmp_path / "users.json")
        accounts.add("thuky", "dung-mat-khau", "secretariat")
        with pytest.raises(AuthError):
            accounts.login("thuky", "sai-mat-khau")
    finally:
        os.umask(old_umask)
    assert seen == {"users.json": 0o600, "users.throttle.json": 0o600}
    for name in ("users.json", "users.json.lock", "users.throttle.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name


def _answers(accounts, name, tries, client="10.0.0.5"):
    out = []
    for i in range(tries):
        with pytest.raises(AuthError) as refused:
            accounts.login(name, "sai-mat-khau", client, now=T0 + dt.timedelta(seconds=i))
        out.append(str(refused.value))
    return out


def test_a_name_without_an_account_is_answered_exactly_like_one_with(accounts, hasher):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    known = _answers(accounts, "thuky", 6)
    checked_known, hasher.checked[:] = list(hasher.checked), []
    unknown = _answers(accounts, "khong-co-ai", 6)
    assert known == unknown
    assert known[0] == auth.WRONG_LOGIN and "thử lại sau 1 giây" in known[3]
    # Each try that was not held back ran one password check, for the unknown name against a dummy hash.
    assert len(hasher.checked) == len(checked_known) == 4
    assert all(h.startswith("$argon2") for h in hasher.checked)


def test_a_stranger_cannot_lock_a_user_out_for_long(accounts, hasher):
    accounts.add("yenbinh", "dung-mat-khau", "uploader", ["Phường Yên Bình"])
    # The cap is 30 s: a try every 30 s is never held back, and each one counts as a failure.
    at = T0
    for _ in range(20):  # a stranger behind the same address keeps failing, each try when it may
        with pytest.raises(AuthError):
            accounts.login("yenbinh", "doan-mo", "10.0.0.9", now=at)
        at += dt.timedelta(seconds=30)
    # Even after 20 failures the stranger's own address waits the cap, no more; the user elsewhere not at all.
    with pytest.raises(AuthError) as held:
        accounts.login("yenbinh", "dung-mat-khau", "10.0.0.9", now=at - dt.timedelta(seconds=29))
    assert "thử lại sau 29 giây" in str(held.value)
    assert accounts.login("yenbinh", "dung-mat-khau", "10.0.0.5", now=at - dt.timedelta(seconds=1)).role == "uploader"
    assert accounts.login("yenbinh", "dung-mat-khau", "10.0.0.9", now=at).role == "uploader"
    for _ in range(3):  # locked again from the shared address
        with pytest.raises(AuthError):
            accounts.login("yenbinh", "doan-mo", "10.0.0.9", now=at)
    assert accounts.locked_until(now=at) == {"yenbinh": at + dt.timedelta(seconds=2)}
    # The secretariat lifts the hold at once; a clerk may not.
    with pytest.raises(Forbidden):
        accounts.unlock("yenbinh", actor=User("yb", "uploader", ("Phường Yên Bình",)))
    accounts.unlock("yenbinh", actor=User("thuky", "secretariat"))
    assert accounts.locked_until(now=at) == {}
    assert accounts.login("yenbinh", "dung-mat-khau", "10.0.0.9", now=at).role == "uploader"
    with pytest.raises(AuthError, match="no such account"):
        accounts.unlock("khong-co-ai")


def test_a_success_clears_the_failures_of_its_own_address(accounts, hasher):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    _answers(accounts, "thuky", 2)
    accounts.login("thuky", "dung-mat-khau", "10.0.0.5", now=T0 + dt.timedelta(seconds=2))
    assert _answers(accounts, "thuky", 2) == [auth.WRONG_LOGIN] * 2  # counting starts again


def test_every_login_is_audited(accounts, store, hasher):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    accounts.login("thuky", "dung-mat-khau", "10.0.0.5", audit=store.audit)
    with pytest.raises(AuthError):
        accounts.login("khong-co-ai", "sai-mat-khau", "10.0.0.9", audit=store.audit)
    rows = store.con.execute("SELECT actor, action, target, detail FROM audit ORDER BY happened_at").fetchall()
    assert rows == [("thuky", "login", None, "10.0.0.5"), ("khong-co-ai", "login_failed", None, "10.0.0.9")]


def _app(user: User | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=30)
    if user is not None:
        at.session_state["user"] = user
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_login_form_audits_a_success(app_env, config, hasher):
    Accounts(users_path(app_env), [u.name for u in config.units]).add("thuky", "dung-mat-khau", "secretariat")
    at = _app(None, "pages/upload.py")
    at.text_input(key="login_name").input("thuky")
    at.text_input(key="login_password").input("dung-mat-khau")
    next(b for b in at.sidebar.button if "Đăng nhập" in (b.label or "")).click().run()
    assert at.session_state["user"].username == "thuky"
    with Store(app_env, config) as s:
        assert s.con.execute("SELECT actor, action FROM audit").fetchall() == [("thuky", "login")]


def test_the_secretariat_unlocks_an_account_on_the_accounts_page(app_env, config, hasher):
    accounts = Accounts(users_path(app_env), [u.name for u in config.units])
    accounts.add("yenbinh", "dung-mat-khau", "uploader", ["Phường Yên Bình"])
    for _ in range(3):
        with pytest.raises(AuthError):
            accounts.login("yenbinh", "doan-mo")
    at = _app(User("thuky", "secretariat"), "pages/accounts.py")
    table = at.dataframe[0].value
    assert table.set_index("Tên đăng nhập").loc["yenbinh", "Tạm khóa đăng nhập đến"] != ""
    at.selectbox(key="pick_account").set_value("yenbinh")
    at.button(key="unlock").click().run()
    assert not at.exception, at.exception
    assert any("Đã mở khóa đăng nhập cho yenbinh" in s.value for s in at.success)
    assert accounts.login("yenbinh", "dung-mat-khau").username == "yenbinh"
    with Store(app_env, config) as s:
        assert s.con.execute("SELECT actor, action, target FROM audit").fetchall() == [
            ("thuky", "user_unlock", "yenbinh")
        ]


def _user_cli(db, *args, stdin=subprocess.DEVNULL):
    """`python -m readiness user ...` as a script runs it: stdin not a terminal unless given."""
    text = isinstance(stdin, str)
    return subprocess.run(
        [sys.executable, "-m", "readiness", "--db", str(db), "user", *args],
        input=stdin if text else None,
        stdin=None if text else stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_user_add_without_a_terminal_says_how_instead_of_crashing(tmp_path):
    db = tmp_path / "u.duckdb"
    out = _user_cli(db, "add", "thuky", "--role", "secretariat")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "stdin không phải terminal" in out.stderr and "--password-stdin" in out.stderr
    assert not users_path(db).exists()


def test_user_add_and_passwd_check_the_name_before_asking_for_a_password(tmp_path):
    db = tmp_path / "u.duckdb"
    assert (
        _user_cli(db, "add", "thuky", "--role", "secretariat", "--password-stdin", stdin="mat-khau-dai\n").returncode
        == 0
    )
    # No --password-stdin and no terminal: the name is refused first, not the missing terminal.
    taken = _user_cli(db, "add", "thuky", "--role", "viewer")
    assert taken.returncode == 2 and "Tài khoản 'thuky' đã có" in taken.stderr and "terminal" not in taken.stderr
    missing = _user_cli(db, "passwd", "khong-co-ai")
    assert missing.returncode == 2 and "Không có tài khoản 'khong-co-ai'" in missing.stderr
    assert "terminal" not in missing.stderr


# ------------------------------------------------------------------ session cookies
NOW = 1_700_000_000.0  # epoch seconds


def test_a_session_cookie_names_the_user_until_it_expires(accounts):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    cookie, version, expires = accounts.session_cookie("thuky", now=NOW)
    assert expires == NOW + auth.SESSION_HOURS * 3600
    user, seen, until = accounts.resume(cookie, now=NOW + 60)
    assert (user, seen, until) == (User("thuky", "secretariat"), version, expires)
    assert accounts.resume(cookie, now=expires - 1) is not None
    assert accounts.resume(cookie, now=expires) is None  # expired
    assert accounts.resume(cookie, now=expires + 3600) is None


def test_a_tampered_cookie_is_refused(accounts):
    accounts.add("yenbinh", "mat-khau-dai", "uploader", ["Phường Yên Bình"])
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    cookie, version, expires = accounts.session_cookie("yenbinh", now=NOW)
    payload, mac = cookie.split(".")
    # The same payload naming another user, a later expiry, or a flipped bit: none passes the signature.
    forged = json.loads(auth._unb64(payload)) | {"u": "thuky"}
    later = json.loads(auth._unb64(payload)) | {"exp": int(expires) + 10 * 24 * 3600}
    for body in (forged, later):
        assert accounts.resume(auth._b64(json.dumps(body).encode()) + "." + mac, now=NOW) is None
    flipped = mac[:-2] + ("A" if mac[-2] != "A" else "B") + mac[-1]
    for bad in (payload + "." + flipped, payload, "", "a.b.c", "." + mac, payload + ".", "x" * 5000, None):
        assert accounts.resume(bad, now=NOW) is None
    # Signed with another key (another board's database folder).
    other = auth.sign_session(b"k" * 32, "thuky", version, NOW + 3600)
    assert accounts.resume(other, now=NOW) is None


def test_a_new_password_or_a_removed_account_ends_its_sessions(accounts):
    accounts.add("thuky", "dung-mat-khau", "secretariat")
    accounts.add("yenbinh", "mat-khau-dai", "uploader", ["Phường Yên Bình"])
    old, version, _ = accounts.session_cookie("thuky", now=NOW)
    other, _, _ = accounts.session_cookie("yenbinh", now=NOW)
    accounts.passwd("thuky", "mat-khau-moi-1")
    assert accounts.resume(old, now=NOW) is None  # wrong version
    assert not accounts.session_current("thuky", version)
    new, _, _ = accounts.session_cookie("thuky", now=NOW)
    assert accounts.resume(new, now=NOW)[0].username == "thuky"
    assert accounts.resume(other, now=NOW) is not None  # another account's sessions go on
    # Removed, then made again under the same name: the old cookies stay dead.
    accounts.remove("yenbinh")
    assert accounts.resume(other, now=NOW) is None
    accounts.add("yenbinh", "mat-khau-khac", "uploader", ["Phường Yên Bình"])
    assert accounts.resume(other, now=NOW) is None


def test_the_session_key_is_private_and_made_once(tmp_path):
    key = auth.session_secret(tmp_path)
    path = tmp_path / "session.key"
    assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert auth.session_secret(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["session.key"]  # no temporary file left


def test_a_grant_is_taken_once_only_while_fresh_and_only_from_the_app(tmp_path):
    secret = auth.session_secret(tmp_path)
    grant = auth.issue_grant(secret, "login", "thuky", "v1", NOW + 3600, now=NOW)
    action, cookie, expires = auth.take_grant(secret, grant, now=NOW + 1)
    assert (action, expires) == ("login", NOW + 3600)
    assert auth.read_session(secret, cookie, now=NOW + 2) == ("thuky", "v1", NOW + 3600)  # the route signs it
    assert grant.find(cookie) == -1  # the page never holds the cookie itself
    assert auth.take_grant(secret, grant, now=NOW + 2) is None  # once
    late = auth.issue_grant(secret, "logout", now=NOW)
    assert auth.take_grant(secret, late, now=NOW + auth.GRANT_TTL_S) is None  # too old
    assert auth.take_grant(secret, auth.issue_grant(secret, "logout", now=NOW), now=NOW + 1) == ("logout", "", 0.0)
    forged = auth.issue_grant(b"k" * 32, "login", "thuky", "v1", NOW + 3600, now=NOW)
    payload, mac = auth.issue_grant(secret, "login", "yenbinh", "v1", NOW + 3600, now=NOW).split(".")
    other = json.loads(auth._unb64(payload)) | {"u": "thuky"}
    for bad in (forged, auth._b64(json.dumps(other).encode()) + "." + mac, "guess", None, {"a": 1}, "x" * 5000):
        assert auth.take_grant(secret, bad, now=NOW + 1) is None
