"""Sign-in against the real binary: guesses spread over two instances, a proxy that names the client, a lock lifted
from the command line, and the files that hold personal data readable by their owner only."""
import concurrent.futures
import json
import os
import sqlite3
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from clihelpers import BIN, free_port

PASSWORD = "Sign-in-2024-ok"


def call(base, method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def add_user(database, name, role="admin", region="520000", cwd=None):
    subprocess.run([BIN, "user", "add", "--username", name, "--role", role, "--region", region, "--password-stdin",
                    "--database", database], input=(PASSWORD + "\n").encode(), check=True, capture_output=True, cwd=cwd)


def start(database, *extra, cwd=None):
    port = free_port()
    tmp = cwd or tempfile.mkdtemp()
    log = open(os.path.join(tmp, f"server-{port}.log"), "w")
    p = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", database, *extra], stdout=log,
                         stderr=subprocess.STDOUT, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if call(base, "GET", "/ready")[0] == 200:
                return p, base
        except OSError:
            assert p.poll() is None, open(log.name).read()
        time.sleep(0.1)
    p.kill()
    raise RuntimeError("server did not start")


def test_guesses_spread_over_two_instances_check_at_most_the_limit(postgres_database):
    database = postgres_database
    assert subprocess.run([BIN, "migrate", "--database", database], capture_output=True, timeout=300).returncode == 0
    add_user(database, "guess.target")
    servers = [start(database), start(database)]
    try:
        def guess(i):
            base = servers[i % 2][1]
            return call(base, "POST", "/api/v1/session", {"username": "guess.target", "password": "wrong-password-9"})[0]
        with concurrent.futures.ThreadPoolExecutor(max_workers=15) as pool:
            statuses = list(pool.map(guess, range(15)))
        # Five reached the password check (four said "wrong", the fifth locked the account); ten were refused unchecked.
        assert statuses.count(401) == 4 and statuses.count(429) == 11, statuses
        assert call(servers[0][1], "POST", "/api/v1/session", {"username": "guess.target", "password": PASSWORD})[0] == 429
        # The administrator lifts the lock from the command line; the right password works again on either instance.
        r = subprocess.run([BIN, "user", "unlock", "guess.target", "--database", database], capture_output=True, timeout=60)
        assert r.returncode == 0 and "unlocked" in r.stdout.decode()
        assert call(servers[1][1], "POST", "/api/v1/session", {"username": "guess.target", "password": PASSWORD})[0] == 200
    finally:
        for p, _ in servers:
            p.terminate()
            p.wait(timeout=20)


def test_the_client_address_comes_from_a_trusted_proxy_only():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "p.sqlite")
    database = "sqlite://" + path
    add_user(database, "proxy.user", cwd=tmp)
    forged = {"X-Forwarded-For": "203.0.113.77"}
    for extra, expected in [((), "127.0.0.1"), (("--trusted-proxy", "127.0.0.1/32"), "203.0.113.77")]:
        p, base = start(database, *extra, cwd=tmp)
        try:
            assert call(base, "POST", "/api/v1/session", {"username": "proxy.user", "password": PASSWORD}, forged)[0] == 200
        finally:
            p.terminate()
            p.wait(timeout=20)
        with sqlite3.connect(path) as db:
            last = db.execute("SELECT address FROM sessions ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()[0]
        assert last == expected, (extra, last)
    bad = subprocess.run([BIN, "serve", "--trusted-proxy", "not-a-network", "--database", database], capture_output=True, timeout=60, cwd=tmp)
    assert bad.returncode != 0 and "CIDR" in bad.stderr.decode()


def test_files_with_personal_data_are_readable_by_their_owner_only():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "f.sqlite")
    env = {k: v for k, v in os.environ.items() if k not in ("XIEZUO_DATA_KEY", "XIEZUO_DATA_KEY_FILE")}
    r = subprocess.run([BIN, "migrate", "--demo", "--database", "sqlite://" + path], capture_output=True, timeout=300, cwd=tmp, env=env)
    assert r.returncode == 0, r.stderr
    backup = os.path.join(tmp, "all.backup")
    r = subprocess.run([BIN, "backup", backup, "--database", "sqlite://" + path], capture_output=True, timeout=300, cwd=tmp, env=env)
    assert r.returncode == 0, r.stderr
    for f in [path, backup, path + ".key", backup + ".key"] + [path + s for s in ("-wal", "-shm") if os.path.exists(path + s)]:
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600, f
