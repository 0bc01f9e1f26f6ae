"""The service's commands: `users` manages the accounts of a workspace, in Chinese, and `serve`
says how to install what it needs when it is missing."""

import sys

import pytest
from service_helpers import EXAMPLES, PASSWORD, QUWEI

from builder.cli import main
from builder.service.store import Store

from conftest import run_cli


def run(*argv, stdin: str | None = None):
    result = run_cli(*argv, stdin=stdin)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "input_yaml").mkdir()
    (tmp_path / "input_yaml" / "a.yaml").write_text((EXAMPLES / "tongnan-quwei-2023.yaml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    return tmp_path


def test_users_add_list_reset_disable_and_departments(workspace):
    ws = str(workspace)
    status, out, _ = run("users", ws, "add", "张三", "--role", "clerk", "--department", QUWEI,
                         "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0 and out == f"已新建账号 张三（填报人），负责：{QUWEI}\n"
    status, out, _ = run("users", ws, "add", "李四", "--role", "审核人", "--generate")
    assert status == 0 and out.startswith("已新建账号 李四（审核人）\n密码：")
    generated = out.split("密码：")[1][:12]
    store = Store(workspace / ".budget-builder" / "service.sqlite3")
    from builder.service.accounts import verify_password
    assert verify_password(generated, store.password_of("李四"))
    status, out, _ = run("users", ws, "list")
    assert out == f"张三　填报人：{QUWEI}\n李四　审核人\n"
    status, out, _ = run("users", ws, "reset", "张三", "--password-stdin", stdin="another one 1\n")
    assert status == 0 and "已重设 张三 的密码" in out and verify_password("another one 1", store.password_of("张三"))
    status, out, _ = run("users", ws, "disable", "张三")
    assert out == "已停用账号 张三\n" and store.password_of("张三") is None and store.user("张三").disabled
    run("users", ws, "enable", "张三")
    assert not store.user("张三").disabled
    status, out, _ = run("users", ws, "departments", "张三", "--department", QUWEI,
                         "--department", "某某局")
    assert status == 0 and "还没有“部门: 某某局”的文件" in out and store.user("张三").departments == ("中共重庆市潼南区委办公室", "某某局")
    store.close()


@pytest.mark.parametrize("argv, stdin, message", [
    (["add", "王五", "--role", "clerk", "--password-stdin"], PASSWORD, "填报人（clerk）至少要有一个部门"),
    (["add", "王五", "--role", "boss", "--password-stdin"], PASSWORD, "角色“boss”无效"),
    (["add", "王五", "--role", "reviewer", "--password-stdin"], "short", "密码至少 8 个字符"),
    (["reset", "nobody", "--password-stdin"], PASSWORD, "没有用户“nobody”"),
    (["add", "王五", "--role", "reviewer"], "", "没有终端可以输入密码"),
])
def test_users_mistakes_are_said_in_chinese(workspace, argv, stdin, message):
    status, out, err = run("users", str(workspace), *argv, stdin=stdin + "\n")
    assert status == 1 and err.startswith("错误：") and message in err, err


def test_a_name_near_a_department_is_suggested(workspace):
    status, out, _ = run("users", str(workspace), "add", "赵六", "--role", "clerk",
                         "--department", "潼南区委办公室", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0 and f"是否应为“{QUWEI}”？" in out


def test_users_of_a_missing_workspace(tmp_path):
    with pytest.raises(SystemExit, match="找不到工作区文件夹"):
        main(["users", str(tmp_path / "nowhere"), "list"])


def test_serve_without_its_packages_says_how_to_install_them(workspace, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    status, _, err = run("serve", str(workspace))
    assert status == 1 and 'pip install "budget-builder[serve]"' in err


def test_serve_of_a_missing_workspace(tmp_path):
    status, _, err = run("serve", str(tmp_path / "nowhere"))
    assert status == 1 and err.startswith("找不到工作区文件夹")
