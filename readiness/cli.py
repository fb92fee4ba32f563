"""python -m readiness [--db PATH] [--config PATH] [--today YYYY-MM-DD] COMMAND

Commands: ingest, query, queries, demo, rebuild. Exit 0 on success, 1 when a file was rejected,
2 on misuse (bad arguments, unknown query, bad config, missing file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import duckdb

from . import export, queries
from .auth import Accounts, AuthError, users_path
from .config import ConfigError, load_config
from .reader import Names
from .store import Incoming, Outcome, Store, rebuild

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "readiness.duckdb"
DEFAULT_CONFIG = ROOT / "data" / "exercise.toml"


def default_paths() -> tuple[Path, Path]:
    """The database and config the app and CLI use unless told otherwise (env READINESS_DB/CONFIG)."""
    return (
        Path(os.environ.get("READINESS_DB", DEFAULT_DB)),
        Path(os.environ.get("READINESS_CONFIG", DEFAULT_CONFIG)),
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD)") from exc


def build_parser() -> argparse.ArgumentParser:
    db, config = default_paths()
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

    sub.add_parser("queries", help="liệt kê truy vấn / list named queries")
    demo = sub.add_parser("demo", help="tạo dữ liệu mẫu / build the demo exercise in data/demo/")
    demo.add_argument("--out", type=Path, default=ROOT / "data" / "demo")
    sub.add_parser("rebuild", help="dựng lại CSDL từ kho lưu / rebuild the database from the archive")

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
    usub.add_parser("list", help="liệt kê / list accounts")
    return p


def _fmt_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "?"


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
    lines = [head]
    for mark, msgs in (("•", o.errors), ("⚠", o.warnings)):
        for m in msgs:
            where = m.where(lang)
            lines.append(f"   {mark} {where + ': ' if where else ''}{m.text(lang)}")
    return "\n".join(lines)


def _open_store(args, read_only: bool = False) -> Store:
    config = load_config(args.config)
    try:
        return Store(args.db, config, read_only=read_only)
    except duckdb.IOException as exc:
        raise SystemExit(
            f"Không mở được CSDL {args.db} (có thể ứng dụng đang giữ) / cannot open the database: {exc}"
        ) from exc


def _progress(i: int, n: int, outcome: Outcome) -> None:
    print(f"[{i}/{n}] {outcome.file}: {outcome.status}", file=sys.stderr, flush=True)


def cmd_ingest(args) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"Không tìm thấy tệp / file not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    config = load_config(args.config)
    try:
        store = Store(args.db, config)
    except duckdb.IOException:
        return _ingest_through_app(args, config)
    with store:
        items = [Incoming(path.read_bytes(), path.name, source="cli", unit_hint=args.unit) for path in args.files]
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


def _ingest_through_app(args, config) -> int:
    """The running app holds the database (DuckDB has one writer): hand the files to its inbox
    worker and print its answers, the same as if this command had stored them."""
    from .inbox import HandoverTimeout, hand_over, inbox_dir

    folder = inbox_dir(config, args.db)
    print(
        f"CSDL đang được ứng dụng giữ: chuyển {len(args.files)} tệp qua thư mục nhận {folder} và chờ kết quả… / "
        "the app holds the database: handing the files to its inbox worker…",
        file=sys.stderr,
        flush=True,
    )
    try:
        answers = hand_over(folder, list(args.files), args.unit, timeout=args.timeout)
    except HandoverTimeout as exc:
        print(
            f"Ứng dụng không trả lời sau {args.timeout:g} giây; yêu cầu vẫn chờ ở {exc} / "
            f"no answer from the app within {args.timeout:g} s",
            file=sys.stderr,
        )
        return 2
    for answer in answers:
        _print_answer(answer, None, args)
    return 1 if any(a["status"] == "rejected" for a in answers) else 0


def cmd_query(args) -> int:
    try:
        queries.sql(args.name)
    except queries.UnknownQuery as exc:
        print(f"Không có truy vấn / no such query: {exc.args[0]}", file=sys.stderr)
        return 2
    with _open_store(args, read_only=args.db.exists()) as store:
        if args.format == "json":
            rows = store.records(args.name, today=args.today)
            print(json.dumps(rows, ensure_ascii=False, default=_json_value))
            return 0
        df = store.query(args.name, today=args.today)
    if args.format == "csv":
        sys.stdout.write(export.csv_text(df))
    else:
        print(df.to_string(index=False) if len(df) else "(không có dòng nào / no rows)")
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
    outcomes = rebuild(args.db, config)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("accepted", "rejected", "duplicate")}
    print(
        f"Đã dựng lại / rebuilt {args.db}: {len(outcomes)} tệp — {counts['accepted']} nhận, "
        f"{counts['rejected']} từ chối, {counts['duplicate']} trùng"
    )
    return 0


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise AuthError("Hai lần nhập không khớp / the two entries differ")
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
                    raise AuthError(
                        f"Đơn vị '{text}' không có; gần nhất: {', '.join(names.unit_suggestions(text))} / unknown unit"
                    )
                units.append(unit)
            accounts.add(args.username, _password(args), args.role, units)
            detail = f"{args.role} {', '.join(units)}".strip()
        elif args.user_command == "passwd":
            accounts.passwd(args.username, _password(args))
            detail = None
        else:
            accounts.remove(args.username)
            detail = None
    except AuthError as exc:
        print(f"Lỗi / error: {exc}", file=sys.stderr)
        return 2
    try:
        with Store(args.db, config) as store:
            store.audit(f"cli:{getpass_user()}", f"user_{args.user_command}", args.username, detail)
    except duckdb.IOException:
        print("(nhật ký: CSDL đang bận, chưa ghi / audit: database busy, not written)", file=sys.stderr)
    print(f"OK: {args.user_command} {args.username}")
    return 0


def getpass_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "?"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    except ConfigError as exc:
        print(f"Lỗi cấu hình / config error: {exc}", file=sys.stderr)
        return 2
    return 2
