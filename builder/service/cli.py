"""The service's two commands: `serve` (the web service over a workspace) and `users` (its
accounts). They are added to the builder's command line by `add_commands`; nothing here is
imported until a command runs, so the command line works without the service's extra packages
(`pip install budget-builder[serve]`) until `serve` is asked for."""

from __future__ import annotations

import argparse
import difflib
import getpass
import os
import sys
from pathlib import Path

NEEDS_EXTRA = "网页服务需要额外的软件包：请运行 pip install \"budget-builder[serve]\"（或 bash run.sh serve）"


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数（写的是“{text}”）") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数（写的是“{text}”）")
    return value


def add_commands(sub) -> None:
    cores = os.cpu_count() or 1
    s = sub.add_parser("serve", help="启动网页服务：填报人在浏览器中编辑、检查、预览、下载，财政局审核")
    s.add_argument("workspace", metavar="工作区", help="工作区文件夹：其中的 input_yaml/（没有时即工作区本身）是部门文件夹，"
                                                     "output/ 是输出目录，与 build 命令相同")
    s.add_argument("--input", metavar="文件夹", help="部门文件夹（默认：工作区/input_yaml，没有时为工作区本身）")
    s.add_argument("-o", "--output", metavar="目录", help="输出目录（默认：工作区/output）")
    s.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，只允许本机访问；"
                                                                    "对外服务请放在反向代理之后）")
    s.add_argument("--port", type=_jobs, default=8000, metavar="端口", help="监听端口（默认 8000）")
    s.add_argument("--root-path", default="", metavar="路径前缀", help="反向代理下的路径前缀，如 /yusuan（默认无）")
    s.add_argument("--proxy", default="127.0.0.1", metavar="地址",
                   help="信任其 X-Forwarded-For/-Proto 头的反向代理地址，逗号分隔（默认 127.0.0.1）")
    s.add_argument("-j", "--jobs", type=_jobs, default=max(1, cores // 2), metavar="N",
                   help=f"生成 XLSX/PDF 的进程数（默认 {max(1, cores // 2)}）")
    s.add_argument("--check-jobs", type=_jobs, default=cores, metavar="N",
                   help=f"检查与预览的进程数（默认 {cores}；生成进程的优先级较低，填报人等待的检查先做）")
    s.add_argument("--allow-incomplete", action="store_true", help="YAML 缺少某表所需数据时，跳过该表并给出警告（同 build）")
    s.add_argument("--catalogue", action="append", default=[], metavar="科目表.csv", help="本地科目表；可重复（同 build）")
    s.set_defaults(func=cmd_serve)

    u = sub.add_parser("users", help="管理网页服务的账号：新建、停用、重设密码、分配部门")
    u.add_argument("workspace", metavar="工作区", help="工作区文件夹（账号保存在其中的 .budget-builder/）")
    actions = u.add_subparsers(dest="action", required=True, metavar="操作")
    add = actions.add_parser("add", help="新建账号")
    add.add_argument("name", metavar="用户名")
    add.add_argument("--role", required=True, metavar="角色",
                     help="clerk（填报人）、reviewer（审核人）或 admin（管理员）")
    add.add_argument("--department", action="append", default=[], metavar="部门",
                     help="填报人负责的部门（YAML 中“部门:”的全称）；可重复")
    _password_options(add)
    reset = actions.add_parser("reset", help="重设密码（并使其已登录的会话失效）")
    reset.add_argument("name", metavar="用户名")
    _password_options(reset)
    disable = actions.add_parser("disable", help="停用账号（立即退出登录）")
    disable.add_argument("name", metavar="用户名")
    enable = actions.add_parser("enable", help="重新启用账号")
    enable.add_argument("name", metavar="用户名")
    departments = actions.add_parser("departments", help="重新指定填报人负责的部门")
    departments.add_argument("name", metavar="用户名")
    departments.add_argument("--department", action="append", default=[], metavar="部门", help="部门全称；可重复")
    actions.add_parser("list", help="列出全部账号")
    u.set_defaults(func=cmd_users)


def _password_options(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行），供脚本使用")
    group.add_argument("--generate", action="store_true", help="生成一个随机密码并显示一次")


# -- users ---------------------------------------------------------------------------------------

def _workspace(args):
    from .workspace import Workspace
    root = Path(args.workspace)
    if not root.is_dir():
        raise SystemExit(f"找不到工作区文件夹：{root}")
    return Workspace(root)


def _password(args) -> tuple[str, bool]:
    """The new password, and whether to show it (a generated one)."""
    from .accounts import AccountError, check_password, new_password
    if args.generate:
        return new_password(), True
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if not sys.stdin.isatty():
        raise AccountError("没有终端可以输入密码：请加 --password-stdin（从标准输入读取）或 --generate（生成随机密码）")
    first = getpass.getpass("新密码：")
    check_password(first)
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致")
    return first, False


def _note_departments(workspace, departments: list[str]) -> None:
    known = workspace.department_names()
    for department in departments:
        if department not in known:
            near = difflib.get_close_matches(department, known, n=1, cutoff=0.4)
            hint = f"，是否应为“{near[0]}”？" if near else ""
            print(f"警告：部门文件夹中还没有“部门: {department}”的文件{hint}（账号照样保存；该部门的文件出现后即可编辑）")


def cmd_users(args) -> int:
    from . import accounts
    from .store import ROLES, Store
    workspace = _workspace(args)
    store = Store(workspace.database)
    try:
        if args.action == "list":
            users = store.users()
            if not users:
                print("还没有账号")
            for user in users:
                state = "（已停用）" if user.disabled else ""
                departments = f"：{'、'.join(user.departments)}" if user.departments else ""
                print(f"{user.name}　{ROLES[user.role]}{state}{departments}")
            return 0
        if args.action == "add":
            password, show = _password(args)
            user = accounts.add(store, args.name, args.role, password, args.department)
            _note_departments(workspace, list(user.departments))
            print(f"已新建账号 {user.name}（{user.role_name}）" +
                  (f"，负责：{'、'.join(user.departments)}" if user.departments else ""))
        elif args.action == "reset":
            password, show = _password(args)
            user = accounts.reset(store, args.name, password)
            print(f"已重设 {user.name} 的密码，其已登录的会话已失效")
        elif args.action in ("disable", "enable"):
            user = accounts.disable(store, args.name, args.action == "disable")
            print(f"已{'停用' if args.action == 'disable' else '启用'}账号 {user.name}")
            return 0
        else:
            user = accounts.set_departments(store, args.name, args.department)
            _note_departments(workspace, list(user.departments))
            print(f"{user.name} 负责的部门：{'、'.join(user.departments) or '无'}")
            return 0
        if show:
            print(f"密码：{password}（只显示这一次，请转交本人）")
        return 0
    except accounts.AccountError as problem:
        print(f"错误：{problem}", file=sys.stderr)
        return 1
    finally:
        store.close()


# -- serve ---------------------------------------------------------------------------------------

def cmd_serve(args) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError:
        print(NEEDS_EXTRA, file=sys.stderr)
        return 1
    from .district import Settings
    from .store import Store
    from .workspace import Workspace
    root = Path(args.workspace).resolve()
    if not root.is_dir():
        print(f"找不到工作区文件夹：{args.workspace}", file=sys.stderr)
        return 1
    inputs = Path(args.input).resolve() if args.input else None
    output = Path(args.output).resolve() if args.output else None
    catalogues = tuple(Path(c).resolve() for c in args.catalogue)
    for catalogue in catalogues:
        if not catalogue.is_file():
            print(f"找不到科目表：{catalogue}", file=sys.stderr)
            return 1
    # paths as the command line names them when run from the workspace: the batch's manifest
    # then reads the same whether `build` or the service wrote it
    os.chdir(root)
    workspace = Workspace(root, inputs, output, args.allow_incomplete, catalogues)
    if not workspace.inputs.is_dir():
        print(f"找不到部门文件夹：{workspace.inputs}", file=sys.stderr)
        return 1
    store = Store(workspace.database)
    users = store.users()
    store.close()
    settings = Settings(check_workers=args.check_jobs, build_workers=args.jobs)
    app = create_app(workspace, settings)
    address = f"http://{args.host}:{args.port}{args.root_path}/"
    print(f"部门文件夹：{workspace.inputs}\n输出目录：{workspace.output}\n网页服务：{address}（按 Ctrl+C 停止）")
    if not users:
        print(f"还没有账号：请先运行 budget-builder users {args.workspace} add 用户名 --role admin")
    uvicorn.run(app, host=args.host, port=args.port, root_path=args.root_path, proxy_headers=True,
                forwarded_allow_ips=args.proxy, log_level="warning", access_log=False,
                # a browser keeps its connection between a clerk's saves; closing it after uvicorn's
                # 5 s would race with the next request on it (75 s, as nginx keeps its own)
                timeout_keep_alive=75, timeout_graceful_shutdown=10)
    return 0
