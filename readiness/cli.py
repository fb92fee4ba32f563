"""python -m readiness [--db PATH] [--config PATH] [--today YYYY-MM-DD] COMMAND

Commands: ingest, query, queries, demo, rebuild, plan, user, token, brief. Exit 0 on success, 1 when a file was rejected,
2 on misuse (bad arguments, unknown query, bad config, missing file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

import duckdb

from . import export, handover, queries, service
from .auth import Accounts, AuthError, Forbidden, users_path
from .config import ConfigError, load_config
from .plans import PlanOutcome
from .reader import Names
from .rebuild import rebuild
from .store import Incoming, Outcome, Store
from .tokens import TokenError, Tokens, tokens_path

ROOT = Path(__file__).resolve().parent.parent


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD)") from exc


def build_parser() -> argparse.ArgumentParser:
    db, config = service.default_paths()
    p = argparse.ArgumentParser(
        prog="python -m readiness",
        description="Bảng theo dõi sẵn sàng diễn tập KVPT / defensive-area exercise readiness board",
    )
    p.add_argument("--db", type=Path, default=db, help=f"tệp DuckDB / database file (default {db})")
    p.add_argument("--config", type=Path, default=config, help=f"cấu hình / exercise config (default {config})")
    p.add_argument("--today", type=_date, default=None, help="ngày tính quá hạn / date for overdue (YYYY-MM-DD)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language of messages")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser("ingest", help="nhận tệp báo cáo / ingest checklist files")
    ing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ing.add_argument("--unit", help="đơn vị khi tệp không ghi / the unit, when the file does not name it")
    ing.add_argument("--json", action="store_true", help="một dòng JSON mỗi tệp / one JSON object a line")
    ing.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="chờ ứng dụng đang chạy tối đa (giây) / wait for the running app at most (s)",
    )

    q = sub.add_parser("query", help="chạy truy vấn queries/NAME.sql / run a named query")
    q.add_argument("name")
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="tham số của truy vấn, để trống là tất cả / a query parameter, empty for all (repeat)",
    )
    q.add_argument(
        "--since", type=_date, help="= --param since=YYYY-MM-DD (truy vấn since / the since query)", default=None
    )

    sub.add_parser("queries", help="liệt kê truy vấn / list named queries")
    demo = sub.add_parser("demo", help="tạo dữ liệu mẫu / build the demo exercise in data/demo/")
    demo.add_argument("--out", type=Path, default=ROOT / "data" / "demo")
    sub.add_parser("rebuild", help="dựng lại CSDL từ kho lưu / rebuild the database from the archive")

    brief = sub.add_parser("brief", help="báo cáo họp giao ban / the coordination meeting's brief")
    brief.add_argument("--out", type=Path, required=True, metavar="FILE", help="tệp ghi ra / the file to write")
    brief.add_argument(
        "--since",
        type=_date,
        default=None,
        help="so sánh với ngày / compare with this day (default: the last meeting before today, else a week ago)",
    )
    brief.add_argument(
        "--format",
        choices=("pdf", "docx", "xlsx"),
        default=None,
        help="định dạng / format (default: from the file's extension)",
    )
    brief.add_argument("--timeout", type=float, default=120.0, help="chờ ứng dụng (giây) / wait for the app (s)")

    plan = sub.add_parser("plan", help="kế hoạch phân công nhiệm vụ / the assigned task plan")
    psub = plan.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    pload = psub.add_parser("load", help="nạp kế hoạch / load a plan file (it is in force once accepted)")
    pload.add_argument("file", type=Path, metavar="FILE")
    pload.add_argument("--json", action="store_true", help="một đối tượng JSON / one JSON object")
    pload.add_argument("--timeout", type=float, default=120.0, help="chờ ứng dụng (giây) / wait for the app (s)")
    pshow = psub.add_parser("show", help="kế hoạch đang áp dụng / the plan in force")
    pshow.add_argument("--format", choices=("table", "json", "csv"), default="table")

    user = sub.add_parser("user", help="quản lý tài khoản / manage accounts")
    usub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = usub.add_parser("add", help="thêm tài khoản / add an account")
    add.add_argument("username")
    add.add_argument("--role", choices=("viewer", "uploader", "secretariat"), required=True)
    add.add_argument("--unit", action="append", default=[], help="đơn vị được gửi (lặp lại) / unit (repeat)")
    add.add_argument(
        "--password-stdin", action="store_true", help="đọc mật khẩu từ stdin / read the password from stdin"
    )
    pw = usub.add_parser("passwd", help="đổi mật khẩu / change a password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    rm = usub.add_parser("remove", help="xóa tài khoản / remove an account")
    rm.add_argument("username")
    unlock = usub.add_parser("unlock", help="cho đăng nhập lại ngay / lift a login wait")
    unlock.add_argument("username")
    usub.add_parser("list", help="liệt kê / list accounts")

    token = sub.add_parser("token", help="mã truy cập API / API tokens (for require_login)")
    tsub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    issue = tsub.add_parser("issue", help="cấp mã, in ra một lần / issue a token, printed once")
    issue.add_argument("--name", required=True, help="dùng cho (hệ thống, cơ quan) / who will use it")
    issue.add_argument("--by", help="tài khoản thư ký cấp mã / the secretariat account issuing it")
    tsub.add_parser("list", help="liệt kê / list tokens (never the tokens themselves)")
    revoke = tsub.add_parser("revoke", help="thu hồi / revoke a token")
    revoke.add_argument("id", type=int)
    revoke.add_argument("--by", help="tài khoản thư ký thu hồi / the secretariat account revoking it")
    return p


def _fmt_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "?"


def _with_messages(head: str, errors: list, warnings: list, lang: str) -> str:
    """An answer's head line, then each error (•) and warning (⚠) with where it is."""
    lines = [head]
    for mark, msgs in (("•", errors), ("⚠", warnings)):
        for m in msgs:
            where = m.where(lang)
            lines.append(f"   {mark} {where + ': ' if where else ''}{m.text(lang)}")
    return "\n".join(lines)


def describe(o: Outcome, lang: str = "vi") -> str:
    """A readable summary of one file's answer."""
    vi = lang == "vi"
    if o.status == "accepted":
        head = (
            f"✔ {o.file}: ĐÃ NHẬN — {o.unit}, báo cáo ngày {_fmt_date(o.report_date)}, {o.tasks} nhiệm vụ"
            if vi
            else f"✔ {o.file}: ACCEPTED — {o.unit}, report of {_fmt_date(o.report_date)}, {o.tasks} tasks"
        )
        if o.warnings:
            head += f", {len(o.warnings)} " + ("cảnh báo" if vi else "warnings")
    elif o.status == "duplicate":
        head = (
            f"= {o.file}: TRÙNG — giống hệt tệp đã nhận (lần gửi #{o.duplicate_of}), không thay đổi gì"
            if vi
            else f"= {o.file}: DUPLICATE — same bytes as submission #{o.duplicate_of}, nothing changed"
        )
    else:
        head = (
            f"✘ {o.file}: BỊ TỪ CHỐI — {len(o.errors)} lỗi cần sửa"
            if vi
            else f"✘ {o.file}: REJECTED — {len(o.errors)} errors to fix"
        )
    return _with_messages(head, o.errors, o.warnings, lang)


class Busy(Exception):
    """The database stayed held by another command past the wait."""


def open_store(db: Path, config, wait_s: float = 120.0) -> Store | None:
    """The database for this command, or None when the running app holds it (hand the work over).

    Another command holding it (DuckDB lets one process in) is waited for, with a word on stderr.
    """
    start = time.monotonic()
    deadline = start + wait_s
    said = False
    delay = 0.05
    while True:
        if handover.app_running(db):
            return None
        try:
            return Store(db, config)
        except duckdb.IOException as exc:
            # A file another command is creating this instant has no valid header yet: wait for it
            # too, but only briefly (a damaged file is said, not waited on).
            being_created = "not a valid duckdb database" in str(exc).lower() and time.monotonic() - start < 5
            if not (handover.is_lock_conflict(exc) or being_created):
                raise
            if handover.app_running(db):
                return None
            if time.monotonic() > deadline:
                raise Busy(str(exc)) from exc
            if not said:
                print(
                    "CSDL đang được một lệnh khác dùng; chờ… / another command holds the database; waiting…",
                    file=sys.stderr,
                    flush=True,
                )
                said = True
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.5, 0.5)


def _progress(i: int, n: int, outcome: Outcome) -> None:
    print(f"[{i}/{n}] {outcome.file}: {outcome.status}", file=sys.stderr, flush=True)


def cmd_ingest(args) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"Không tìm thấy tệp / file not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    config = load_config(args.config)
    store = open_store(args.db, config, wait_s=args.timeout)
    if store is None:
        return _ingest_through_app(args)
    with store:
        by = f"cli:{getpass_user()}"
        items = [Incoming.from_file(p, config, source="cli", unit_hint=args.unit, submitted_by=by) for p in args.files]
        outcomes = store.ingest_many(items, progress=_progress if len(items) > 10 and not args.json else None)
    for path, outcome in zip(args.files, outcomes, strict=True):
        outcome.file = str(path)
        _print_answer(outcome.to_json(), outcome, args)
    return 1 if any(o.status == "rejected" for o in outcomes) else 0


def _print_answer(answer: dict, outcome: Outcome | None, args) -> None:
    if args.json:
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    else:
        print(describe(outcome or Outcome.from_json(answer), args.lang), flush=True)


def _through_app(args, kind: str, payload: dict, files=(), what: str = ""):
    """The running app holds the database (DuckDB has one writer): hand it the work and return its
    answer, or None after saying on stderr why there is none."""
    print(
        f"CSDL đang được ứng dụng giữ: chuyển {what or kind} cho ứng dụng và chờ kết quả… / "
        f"the app holds the database: handing it the {kind}…",
        file=sys.stderr,
        flush=True,
    )
    timeout = getattr(args, "timeout", 120.0)
    try:
        return handover.hand_over(args.db, kind, payload, list(files), timeout=timeout)
    except handover.HandoverTimeout as exc:
        if exc.withdrawn:
            print(
                f"Ứng dụng không trả lời sau {timeout:g} giây; đã rút yêu cầu, không có gì thay đổi / "
                f"no answer from the app within {timeout:g} s; the request was withdrawn, nothing changed",
                file=sys.stderr,
            )
        else:
            print(
                f"Ứng dụng đã nhận yêu cầu nhưng chưa trả lời sau {timeout:g} giây; xem trang Lịch sử gửi / "
                f"the app took the request but has not answered within {timeout:g} s; see the history page",
                file=sys.stderr,
            )
    except handover.HandoverFailed as exc:
        print(f"Ứng dụng báo lỗi / the app could not do it: {exc}", file=sys.stderr)
    return None


def _ingest_through_app(args) -> int:
    payload = {"unit_hint": args.unit, "by": f"cli:{getpass_user()}"}
    answers = _through_app(args, "ingest", payload, args.files, f"{len(args.files)} tệp / files")
    if answers is None:
        return 2
    for answer in answers:
        _print_answer(answer, None, args)
    return 1 if any(a["status"] == "rejected" for a in answers) else 0


def cmd_query(args) -> int:
    given = {}
    for text in args.param:
        key, sep, value = text.partition("=")
        if not sep:
            print(f"--param cần dạng TÊN=GIÁ_TRỊ / --param takes NAME=VALUE: {text!r}", file=sys.stderr)
            return 2
        given[key.strip()] = value
    if args.since is not None:
        given["since"] = args.since.isoformat()
    try:
        params = queries.parse_params(args.name, given)  # the JSON API checks its URL the same way
    except (queries.UnknownQuery, queries.ParamError) as exc:
        print(exc, file=sys.stderr)
        if exc.key == "err_param_missing":
            missing = sorted(queries.params_of(args.name) - {"today"} - given.keys())
            print(f"vd. / e.g. {' '.join(f'--param {m}=' for m in missing)}", file=sys.stderr)
        return 2
    config = load_config(args.config)
    store = open_store(args.db, config)  # writable: a database from an older version gets its views and macros
    if store is None:
        sent = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}  # as JSON
        payload = {"name": args.name, "today": args.today.isoformat() if args.today else None, "params": sent}
        answer = _through_app(args, "query", payload)
        if answer is None:
            return 2
        import pandas as pd

        df = pd.DataFrame(answer["rows"], columns=answer["columns"])
        if args.format == "json":
            print(json.dumps(df.to_dict("records"), ensure_ascii=False, default=_json_value))
            return 0
    else:
        with store:
            if args.format == "json":
                rows = store.records(args.name, today=args.today, **params)
                print(json.dumps(rows, ensure_ascii=False, default=_json_value))
                return 0
            df = store.query(args.name, today=args.today, **params)
    if args.format == "csv":
        sys.stdout.write(export.csv_text(df))
    else:
        print(df.to_string(index=False) if len(df) else "(không có dòng nào / no rows)")
    return 0


def describe_plan(o: PlanOutcome, lang: str = "vi") -> str:
    """A readable summary of a plan file's answer."""
    vi = lang == "vi"
    if o.status == "accepted":
        head = (
            f"✔ {o.file}: ĐÃ NẠP KẾ HOẠCH — {o.tasks} nhiệm vụ cho {o.units} đơn vị, áp dụng từ bây giờ"
            if vi
            else f"✔ {o.file}: PLAN LOADED — {o.tasks} tasks for {o.units} units, in force from now"
        )
    elif o.status == "duplicate":
        head = (
            f"= {o.file}: TRÙNG — giống hệt kế hoạch đang áp dụng, không thay đổi gì"
            if vi
            else f"= {o.file}: DUPLICATE — the same bytes as the plan in force, nothing changed"
        )
    else:
        head = (
            f"✘ {o.file}: BỊ TỪ CHỐI — {len(o.errors)} lỗi; kế hoạch đang áp dụng giữ nguyên"
            if vi
            else f"✘ {o.file}: REJECTED — {len(o.errors)} errors; the plan in force stays"
        )
    return _with_messages(head, o.errors, o.warnings, lang)


def cmd_plan(args) -> int:
    config = load_config(args.config)
    if args.plan_command == "load":
        if not args.file.is_file():
            print(f"Không tìm thấy tệp / file not found: {args.file}", file=sys.stderr)
            return 2
        store = open_store(args.db, config, wait_s=args.timeout)
        if store is None:
            payload = {"by": f"cli:{getpass_user()}"}
            answer = _through_app(args, "plan", payload, [args.file], "kế hoạch / the plan")
            if answer is None:
                return 2
            outcome = PlanOutcome.from_json(answer)
        else:
            with store:
                item = Incoming.from_file(args.file, config, source="cli")
                if item.refused_size:
                    print(f"Tệp quá lớn / file too large: {args.file}", file=sys.stderr)
                    return 1
                outcome = store.load_plan(item.data, args.file.name, source="cli", by=f"cli:{getpass_user()}")
        outcome.file = str(args.file)
        print(json.dumps(outcome.to_json(), ensure_ascii=False) if args.json else describe_plan(outcome, args.lang))
        return 1 if outcome.status == "rejected" else 0
    store = open_store(args.db, config)
    if store is None:
        answer = _through_app(args, "plan_show", {})
        if answer is None:
            return 2
        import pandas as pd

        df = pd.DataFrame(answer["rows"], columns=answer["columns"])
    else:
        with store:
            df = store.plan()
    if args.format == "json":
        print(json.dumps(df.to_dict("records"), ensure_ascii=False, default=_json_value))
    elif args.format == "csv":
        sys.stdout.write(export.csv_text(df))
    else:
        print(df.to_string(index=False) if len(df) else "(chưa có kế hoạch / no plan loaded)")
    return 0


def cmd_brief(args) -> int:
    import base64

    from . import brief

    fmt = args.format or args.out.suffix.lower().lstrip(".")
    if fmt not in brief.FORMATS:
        print(
            f"Không rõ định dạng của {args.out}: dùng đuôi .pdf, .docx, .xlsx hoặc --format / "
            f"cannot tell the format of {args.out}: name it .pdf, .docx or .xlsx, or give --format",
            file=sys.stderr,
        )
        return 2
    config = load_config(args.config)
    store = open_store(args.db, config)
    if store is None:
        payload = {
            "today": args.today.isoformat() if args.today else None,
            "since": args.since.isoformat() if args.since else None,
            "format": fmt,
            "lang": args.lang,
        }
        answer = _through_app(args, "brief", payload, what="báo cáo / the brief")
        if answer is None:
            return 2
        data = base64.b64decode(answer["data"])
    else:
        with store:
            data = brief.build_brief(store, args.today, args.since, fmt, args.lang)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"Đã ghi / written: {args.out} ({fmt}, {len(data):,} bytes)")
    return 0


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def cmd_demo(args) -> int:
    from .demo import build_demo

    def progress(i: int, n: int, name: str) -> None:
        print(f"[{i}/{n}] {name}", file=sys.stderr, flush=True)

    summary = build_demo(args.out, today=args.today, progress=progress)
    print(
        f"Dữ liệu mẫu / demo: {summary['files']} tệp, {summary['accepted']} nhận, {summary['rejected']} từ chối; "
        f"CSDL {summary['db']}"
    )
    return 0


def cmd_rebuild(args) -> int:
    config = load_config(args.config)
    store = open_store(args.db, config)
    if store is None:
        counts = _through_app(args, "rebuild", {})
        if counts is None:
            return 2
    else:
        with store:
            outcomes = rebuild(args.db, config, store=store)
        counts = {s: sum(o.status == s for o in outcomes) for s in ("accepted", "rejected", "duplicate")}
    print(
        f"Đã dựng lại / rebuilt {args.db}: {sum(counts.values())} tệp — {counts['accepted']} nhận, "
        f"{counts['rejected']} từ chối, {counts['duplicate']} trùng"
    )
    return 0


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if sys.stdin is None or not sys.stdin.isatty():
        # A script or a service: getpass would fail with a traceback or read a stray line.
        raise AuthError("err_no_terminal")
    import getpass

    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise AuthError("err_passwords_differ")
    return first


def cmd_user(args) -> int:
    config = load_config(args.config)
    names = Names(config)
    accounts = Accounts(users_path(args.db), [u.name for u in config.units])
    try:
        if args.user_command == "list":
            for u in accounts.list():
                print(f"{u.username}\t{u.role}\t{', '.join(u.units)}")
            return 0
        if args.user_command == "add":
            units = []
            for text in args.unit:
                unit = names.unit(text)
                if unit is None:
                    raise AuthError("err_unknown_unit", unit=text, closest=", ".join(names.unit_suggestions(text)))
                units.append(unit)
            accounts.check_new(args.username, args.role, units)  # before asking for a password
            accounts.add(args.username, _password(args), args.role, units)
            detail = f"{args.role} {', '.join(units)}".strip()
        elif args.user_command == "passwd":
            accounts.require(args.username)  # before asking for a password
            accounts.passwd(args.username, _password(args))
            detail = None
        elif args.user_command == "unlock":
            accounts.unlock(args.username)
            detail = None
        else:
            accounts.remove(args.username)
            detail = None
    except AuthError as exc:
        print(f"Lỗi / error: {exc}", file=sys.stderr)
        return 2
    audit(args, config, f"cli:{getpass_user()}", f"user_{args.user_command}", args.username, detail)
    print(f"OK: {args.user_command} {args.username}")
    return 0


def cmd_token(args) -> int:
    tokens = Tokens(tokens_path(args.db))
    if args.token_command == "list":
        for t in tokens.all():
            state = "active" if t.active else f"revoked {t.revoked_at} {t.revoked_by or ''}".strip()
            print(f"{t.id}\t{t.name}\t{state}\t{t.created_at}\t{t.created_by or ''}")
        return 0
    config = load_config(args.config)
    try:
        # --by names the secretariat account that acts (a viewer's name is refused); else the login.
        actor = Accounts(users_path(args.db)).require(args.by) if args.by else None
        by = actor.username if actor else f"cli:{getpass_user()}"
        if args.token_command == "issue":
            record, token = tokens.issue(args.name, by=by, actor=actor)
        else:
            record, token = tokens.revoke(args.id, by=by, actor=actor), None
    except (AuthError, Forbidden, TokenError) as exc:
        print(f"Lỗi / error: {exc}", file=sys.stderr)
        return 2
    audit(args, config, by, f"token_{args.token_command}", record.label, None)
    if token is None:
        print(f"OK: revoke {record.label}")
        return 0
    print(
        f"Đã cấp mã {record.label}; mã chỉ in ra lần này, hãy chuyển cho đơn vị dùng ngay / "
        f"token {record.label} issued; it is printed only this once:",
        file=sys.stderr,
    )
    print(token)
    return 0


def audit(args, config, actor: str, action: str, target: str | None, detail: str | None) -> None:
    """One line of the audit trail, written here or by the running app."""
    try:
        store = open_store(args.db, config, wait_s=30)
        busy = False
    except Busy:
        store, busy = None, True
    if store is None and not busy:
        payload = {"actor": actor, "action": action, "target": target, "detail": detail}
        if _through_app(args, "audit", payload, what="nhật ký / audit line") is not None:
            return
    elif store is not None:
        with store:
            store.audit(actor, action, target, detail)
        return
    print("(nhật ký: CSDL đang bận, chưa ghi / audit: database busy, not written)", file=sys.stderr)


def getpass_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "?"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # `query ... | head`: the reader left; nothing is wrong
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silence the interpreter's final flush)
        except OSError:
            pass
        return 0
    except Busy as exc:
        print(
            f"CSDL vẫn bận sau thời gian chờ (một lệnh khác đang dùng) / the database stayed busy: {exc}",
            file=sys.stderr,
        )
        return 2


def _dispatch(args) -> int:
    try:
        if args.command == "ingest":
            return cmd_ingest(args)
        if args.command == "query":
            return cmd_query(args)
        if args.command == "queries":
            print("\n".join(queries.names()))
            return 0
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "rebuild":
            return cmd_rebuild(args)
        if args.command == "user":
            return cmd_user(args)
        if args.command == "token":
            return cmd_token(args)
        if args.command == "plan":
            return cmd_plan(args)
        if args.command == "brief":
            return cmd_brief(args)
    except ConfigError as exc:
        print(f"Lỗi cấu hình / config error: {exc}", file=sys.stderr)
        return 2
    return 2
