"""Two instances of the real binary on one PostgreSQL database, as behind a load balancer: a session made on one
works on the other, and the same project edited from both gives one success and one 409 with nothing lost."""
import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from clihelpers import BIN, free_port

PASSWORD = "Instances-2024-ok"


def call(base, method, path, body=None, cookie=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}"), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}"), e.headers


def test_two_instances_share_sessions_and_lose_no_update(postgres_database):
    database = postgres_database
    assert subprocess.run([BIN, "migrate", "--demo", "--database", database], capture_output=True, timeout=300).returncode == 0
    subprocess.run([BIN, "user", "add", "--username", "two.admin", "--role", "admin", "--region", "520000", "--password-stdin",
                    "--database", database], input=(PASSWORD + "\n").encode(), check=True, capture_output=True)
    procs, bases = [], []
    tmp = tempfile.mkdtemp()
    try:
        for i in range(2):
            port = free_port()
            log = open(os.path.join(tmp, f"server{i}.log"), "w")
            procs.append(subprocess.Popen([BIN, "serve", "--port", str(port), "--database", database], stdout=log, stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
        for base, p in zip(bases, procs):
            for _ in range(300):
                try:
                    if call(base, "GET", "/ready")[0] == 200:
                        break
                except OSError:
                    assert p.poll() is None, open(os.path.join(tmp, "server0.log")).read()
                time.sleep(0.1)
        a, b = bases
        status, _, headers = call(a, "POST", "/api/v1/session", {"username": "two.admin", "password": PASSWORD})
        assert status == 200
        cookie = headers["Set-Cookie"].split(";")[0]
        # The session lives in the database: instance B knows it.
        status, project, _ = call(b, "GET", "/api/v1/projects/1", cookie=cookie)
        assert status == 200
        edit = {k: project[k] for k in ("pairingId", "countyCode", "workArea", "status", "beneficiaries")}
        version = project["version"]
        first = call(a, "PUT", "/api/v1/projects/1", {**edit, "title": "甲实例的修改", "version": version}, cookie)
        second = call(b, "PUT", "/api/v1/projects/1", {**edit, "title": "乙实例的修改", "version": version}, cookie)
        assert first[0] == 200 and second[0] == 409
        assert second[1]["error"]["code"] == "conflict"
        # Nothing lost: both instances show the first edit, and the history holds exactly one change.
        for base in bases:
            assert call(base, "GET", "/api/v1/projects/1", cookie=cookie)[1]["title"] == "甲实例的修改"
        ready = call(b, "GET", "/ready")[1]
        assert ready["status"] == "ready" and ready["backend"] == "postgresql"
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=20)
