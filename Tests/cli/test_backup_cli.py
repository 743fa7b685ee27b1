"""Backup, restore and copying between backends with the real binary: what comes back is what went in."""
import os
import subprocess
import tempfile

from clihelpers import BIN


def xiezuo(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, timeout=300, env=os.environ | (env or {}))


def test_backup_restore_and_refusals():
    tmp = tempfile.mkdtemp()
    a, b = f"sqlite://{tmp}/a.sqlite", f"sqlite://{tmp}/b.sqlite"
    assert xiezuo("migrate", "--demo", "--database", a).returncode == 0
    backup = os.path.join(tmp, "x.backup")
    r = xiezuo("backup", backup, "--database", a)
    assert r.returncode == 0 and b"audit_log" in r.stderr   # progress per table
    r = xiezuo("restore", backup, "--database", b)
    assert r.returncode == 0, r.stderr
    # A second restore into a database that now holds data is refused, and says how to go on.
    again = xiezuo("restore", backup, "--database", b)
    assert again.returncode != 0 and "--replace" in again.stderr.decode()
    assert xiezuo("restore", backup, "--database", b, "--replace").returncode == 0
    # A damaged file is refused before anything is touched.
    damaged = os.path.join(tmp, "damaged.backup")
    with open(backup, "rb") as f, open(damaged, "wb") as g:
        g.write(f.read()[: os.path.getsize(backup) // 2])
    r = xiezuo("restore", damaged, "--database", f"sqlite://{tmp}/c.sqlite")
    assert r.returncode != 0 and ("damaged" in r.stderr.decode() or "incomplete" in r.stderr.decode())


def test_sqlite_to_postgresql_and_back(postgres_database):
    tmp = tempfile.mkdtemp()
    a, c, pg = f"sqlite://{tmp}/a.sqlite", f"sqlite://{tmp}/c.sqlite", postgres_database
    assert xiezuo("migrate", "--demo", "--database", a).returncode == 0
    # PostgreSQL takes its key from a variable: here the one beside the SQLite file.
    key = {"XIEZUO_DATA_KEY_FILE": f"{tmp}/a.sqlite.key"}
    there = xiezuo("migrate", "--database", a, "--to", pg, env=key)
    assert there.returncode == 0 and "verified" in there.stdout.decode(), there.stderr
    back = xiezuo("migrate", "--database", pg, "--to", c, env=key)
    assert back.returncode == 0 and "verified" in back.stdout.decode(), back.stderr
    # Into a database that is not empty: refused.
    assert xiezuo("migrate", "--database", a, "--to", pg, env=key).returncode != 0
