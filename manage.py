"""Operations commands: `python manage.py <group> <command> [options]`.

    python manage.py richmenu preview --out menu.png   # draw the citizens' menu picture (offline)
    python manage.py richmenu deploy                   # create + upload + set default (citizens), then staff
    python manage.py richmenu link-staff               # link the staff menu to every active staff member
    python manage.py richmenu list                     # menus on the channel
    python manage.py run worker                        # a process that only handles events, sends and schedules

Uses the same environment as the app (LINE_CHANNEL_ACCESS_TOKEN, DATABASE_URL, HOST, PORT, ...). Without LINE
credentials the app runs its emulator, which deploys the rich menus by itself at every start: these commands then
talk to the running `python app.py` at its own HOST:PORT (start it first).

Adding a command (any feature): write a function `(args, app) -> int` and register it with
`@command("group", "name", "help", arguments=[(("--flag",), {...argparse kwargs})])` in this file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Handler = Callable[[argparse.Namespace, Any], int]


@dataclass
class Command:
    group: str
    name: str
    help: str
    handler: Handler
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)
    needs_app: bool = True


COMMANDS: dict[tuple[str, str], Command] = {}


def command(group: str, name: str, help: str, *, arguments: Sequence[tuple[tuple[str, ...], dict[str, Any]]] = (),
            needs_app: bool = True) -> Callable[[Handler], Handler]:
    """Registers `handler` as `manage.py <group> <name>`."""
    def register(handler: Handler) -> Handler:
        COMMANDS[(group, name)] = Command(group, name, help, handler, list(arguments), needs_app)
        return handler
    return register


def _out(text: str) -> None:
    print(text, flush=True)


# ---- processes -------------------------------------------------------------------------------------------------------
@command("run", "worker", "ประมวลผลเหตุการณ์และส่งข้อความ (ไม่รับเว็บ)", needs_app=False, arguments=[
    (("--seconds",), {"type": float, "default": 0, "help": "stop after this many seconds (0: until SIGTERM)"}),
])
def run_worker(args: argparse.Namespace, app: Any) -> int:
    """Runs event workers, senders and (if RUN_SCHEDULER) the scheduler without a web server.

    Production splits roles: web processes (`gunicorn "app:create_app()"` with RUN_WORKERS=0) only acknowledge
    webhooks, and processes like this one do the work, claiming rows with SKIP LOCKED."""
    import signal
    import threading

    from app import create_app

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    worker_app = create_app({**(getattr(args, "config", None) or {}), "RUN_WORKERS": True, "EMULATOR_REMOTE": True})
    rt = worker_app.extensions["kk"]
    _out("worker: handling events and sending messages (stop with Ctrl+C)")
    try:
        stop.wait(args.seconds or None)
    finally:
        rt.stop()
        rt.db.dispose()
    return 0


# ---- rich menu ---------------------------------------------------------------------------------------------------------
@command("richmenu", "preview", "วาดภาพเมนู (ไม่ต้องต่อ LINE)", needs_app=False, arguments=[
    (("--variant",), {"choices": ("citizen", "staff"), "default": "citizen"}),
    (("--out",), {"default": "richmenu.png"}),
])
def richmenu_preview(args: argparse.Namespace, app: Any) -> int:
    from services import richmenu

    data = richmenu.menus()[args.variant].image()
    Path(args.out).write_bytes(data)
    _out(f"บันทึกภาพเมนู {args.variant} แล้ว: {args.out} ({len(data):,} bytes)")
    return 0


@command("richmenu", "deploy", "สร้างเมนู อัปโหลดภาพ ตั้งเป็นค่าเริ่มต้น และผูกเมนูเจ้าหน้าที่", arguments=[
    (("--variant",), {"choices": ("citizen", "staff", "all"), "default": "all"}),
])
def richmenu_deploy(args: argparse.Namespace, app: Any) -> int:
    from services import richmenu

    rt = app.extensions["kk"]
    if not _line_reachable(rt):
        return 1
    variants = ("citizen", "staff") if args.variant == "all" else (args.variant,)
    for variant, menu_id in richmenu.deploy_all(rt.line, variants).items():
        _out(f"{variant}: {menu_id}" + (" (ตั้งเป็นเมนูเริ่มต้นแล้ว)" if variant == "citizen" else ""))
        if variant == "staff":
            result = richmenu.sync_staff_links(rt.db, rt.line, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS,
                                               menu_id=menu_id, force=True)
            _out(f"ผูกเมนูเจ้าหน้าที่ {result['linked']} คน")
    return 0


def _line_reachable(rt: Any) -> bool:
    """In emulator mode LINE is the running app's emulator at its own HOST:PORT: say clearly when it is not up."""
    if rt.emulator is None:
        return True
    try:
        rt.line.list_rich_menus()
    except Exception:  # noqa: BLE001 - not listening, or something else answers there
        from app import local_base_url

        _out(f"ติดต่อตัวจำลอง LINE ของแอปที่ {local_base_url(rt.settings)} ไม่ได้: กรุณาเปิด python app.py ก่อน "
             "(ใช้ HOST และ PORT เดียวกัน) · the app's LINE emulator is not reachable at that address")
        return False
    return True


@command("richmenu", "link-staff", "ผูกเมนูเจ้าหน้าที่กับเจ้าหน้าที่ทุกคน (และถอดจากผู้ที่ถูกถอนสิทธิ์)")
def richmenu_link_staff(args: argparse.Namespace, app: Any) -> int:
    from services import richmenu

    rt = app.extensions["kk"]
    if not _line_reachable(rt):
        return 1
    menu_id = richmenu.current_menu_id(rt.line, "staff")
    if menu_id is None:
        _out("ยังไม่มีเมนูเจ้าหน้าที่ กรุณารัน: python manage.py richmenu deploy --variant staff")
        return 1
    result = richmenu.sync_staff_links(rt.db, rt.line, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS,
                                       menu_id=menu_id, force=True)
    _out(f"ผูกเมนูเจ้าหน้าที่ {result['linked']} คน ถอดออก {result['unlinked']} คน")
    return 0


@command("richmenu", "list", "แสดงเมนูที่มีในช่องทาง LINE")
def richmenu_list(args: argparse.Namespace, app: Any) -> int:
    rt = app.extensions["kk"]
    for menu in rt.line.list_rich_menus():
        _out(f"{menu['richMenuId']}  {menu.get('name', '')}  ({menu.get('chatBarText', '')})")
    return 0


# ---- running ------------------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description="KK Digital Community: operations commands")
    groups = parser.add_subparsers(dest="group", required=True)
    by_group: dict[str, Any] = {}
    for (group, name), cmd in sorted(COMMANDS.items()):
        if group not in by_group:
            by_group[group] = groups.add_parser(group).add_subparsers(dest="command", required=True)
        sub = by_group[group].add_parser(name, help=cmd.help)
        for flags, options in cmd.arguments:
            sub.add_argument(*flags, **options)
    return parser


def main(argv: Sequence[str] | None = None, config: Mapping[str, Any] | None = None) -> int:
    """Runs one command; `config` overrides the environment (tests point it at the LINE emulator)."""
    args = build_parser().parse_args(argv)
    args.config = dict(config or {})
    cmd = COMMANDS[(args.group, args.command)]
    app = None
    if cmd.needs_app:
        from app import create_app

        app = create_app({"RUN_WORKERS": False, "RUN_SCHEDULER": False, "EMULATOR_REMOTE": True, **(config or {})})
    try:
        return cmd.handler(args, app)
    except Exception as exc:  # noqa: BLE001 - an operator gets one clear line, not a traceback
        _out(f"ไม่สำเร็จ: {type(exc).__name__}: {str(exc)[:300]}")
        return 1
    finally:
        if app is not None:
            rt = app.extensions["kk"]
            rt.stop()
            rt.db.dispose()


if __name__ == "__main__":
    sys.exit(main())
