"""Account commands: passwords only on standard input, rules explained in both languages, changes visible."""
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("XIEZUO_BIN", os.path.join(ROOT, ".build", "debug", "xiezuo"))


def xiezuo(db, *args, stdin=""):
    return subprocess.run([BIN, "user", *args, "--database", f"sqlite://{db}"], input=stdin.encode(),
                          capture_output=True, timeout=120)


def test_add_list_disable_and_reset():
    db = os.path.join(tempfile.mkdtemp(), "u.sqlite")
    r = xiezuo(db, "add", "--username", "li.ming", "--role", "prefecture-officer", "--region", "520500",
               "--password-stdin", stdin="Guizhou-2024-ok\n")
    assert r.returncode == 0, r.stderr
    weak = xiezuo(db, "add", "--username", "wang", "--role", "county-reporter", "--region", "520525",
                  "--password-stdin", stdin="short\n")
    assert weak.returncode != 0 and "密码至少 10 个字符" in weak.stderr.decode() and "at least 10" in weak.stderr.decode()
    no_stdin = xiezuo(db, "add", "--username", "wang", "--role", "county-reporter", "--region", "520525")
    assert no_stdin.returncode != 0 and "--password-stdin" in no_stdin.stderr.decode()
    assert xiezuo(db, "list").stdout.decode().split() == ["li.ming", "prefecture-officer", "520500", "active"]
    assert xiezuo(db, "disable", "li.ming").returncode == 0
    assert "disabled" in xiezuo(db, "list").stdout.decode()
    assert xiezuo(db, "reset-password", "li.ming", "--password-stdin", stdin="Another-2025-pw\n").returncode == 0
    nobody = xiezuo(db, "disable", "nobody")
    # A mistake is said in one message, not followed by the usage text of the whole program.
    assert nobody.returncode != 0 and "用户不存在" in nobody.stderr.decode() and "Usage" not in nobody.stderr.decode()
