"""Backup, restore and copying between backends with the real binary: what comes back is what went in."""
import os
import subprocess
import tempfile

from clihelpers import BIN


def xiezuo(*args):
    return subprocess.run([BIN, *args], capture_output=True, timeout=300)


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
    there = xiezuo("migrate", "--database", a, "--to", pg)
    assert there.returncode == 0 and "verified" in there.stdout.decode(), there.stderr
    back = xiezuo("migrate", "--database", pg, "--to", c)
    assert back.returncode == 0 and "verified" in back.stdout.decode(), back.stderr
    # Into a database that is not empty: refused.
    assert xiezuo("migrate", "--database", a, "--to", pg).returncode != 0
