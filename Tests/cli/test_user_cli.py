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
    assert xiezuo(db, "list").stdout.decode().split() == ["li.ming", "prefecture-officer", "520500", "active"]  # no name nor unit given
    assert xiezuo(db, "disable", "li.ming").returncode == 0
    assert "disabled" in xiezuo(db, "list").stdout.decode()
    assert xiezuo(db, "reset-password", "li.ming", "--password-stdin", stdin="Another-2025-pw\n").returncode == 0
    nobody = xiezuo(db, "disable", "nobody")
    # A mistake is said in one message, not followed by the usage text of the whole program.
    assert nobody.returncode != 0 and "用户不存在" in nobody.stderr.decode() and "Usage" not in nobody.stderr.decode()


def test_regions_by_name_and_only_the_relevant_error():
    db = os.path.join(tempfile.mkdtemp(), "u.sqlite")
    pw = "Guizhou-2024-ok\n"
    cases = [("nayong.a", "county-reporter", "纳雍县", "520525"), ("nayong.b", "county-reporter", "毕节市纳雍县", "520525"),
             ("nayong.c", "county-reporter", "贵州省 毕节市 纳雍县", "520525"), ("bijie.a", "prefecture-officer", "毕节市", "520500"),
             ("qian.a", "province-coordinator", "贵州省", "520000"), ("panzhou.a", "county-reporter", "盘县", "520281")]
    for user, role, region, code in cases:
        r = xiezuo(db, "add", "--username", user, "--role", role, "--region", region, "--name", "李明", "--unit", "乡村振兴局",
                   "--password-stdin", stdin=pw)
        assert r.returncode == 0, (region, r.stderr.decode())
        assert f"({role}, {code})" in r.stdout.decode(), region
    listed = xiezuo(db, "list").stdout.decode()
    assert "李明\t乡村振兴局" in listed
    # A name two regions share asks which one, naming both.
    both = xiezuo(db, "add", "--username", "baiyun.a", "--role", "county-reporter", "--region", "白云区", "--password-stdin", stdin=pw)
    err = both.stderr.decode()
    assert both.returncode != 0 and "440111" in err and "520113" in err and "Usage" not in err
    unknown = xiezuo(db, "add", "--username", "x.a", "--role", "county-reporter", "--region", "不存在县", "--password-stdin", stdin=pw)
    assert unknown.returncode != 0 and "未知地区" in unknown.stderr.decode()
    # A command line that does not parse: what is missing, and where to read more; not the whole usage text.
    missing = xiezuo(db, "add", "--username", "y.a", "--password-stdin", stdin=pw)
    err = missing.stderr.decode()
    assert missing.returncode != 0 and "--role" in err and "USAGE" not in err.upper().replace("用法 / USAGE: XIEZUO HELP", "")
