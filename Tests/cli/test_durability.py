"""A server killed with SIGKILL in the middle of a 100,000-row import leaves all of the rows or none, on SQLite and
on PostgreSQL: the import is one transaction, and a restart finds the database consistent."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from clihelpers import BIN, free_port

PASSWORD = "Durability-2024-ok"
ROWS = 100_000


def start(database, tmp):
    port = free_port()
    log = open(os.path.join(tmp, f"server-{port}.log"), "w")
    proc = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", database], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/ready", timeout=1)
            return proc, base
        except OSError:
            assert proc.poll() is None, "server exited"
            time.sleep(0.1)
    raise RuntimeError("server did not become ready")


def session(base):
    req = urllib.request.Request(base + "/api/v1/session", method="POST", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"username": "dur.admin", "password": PASSWORD}).encode())
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers["Set-Cookie"].split(";")[0]


def imported(base, cookie):
    req = urllib.request.Request(base + "/api/v1/progress?indicator=demo_villages&perPage=1", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["total"]


def counties(base, cookie):
    req = urllib.request.Request(base + "/api/v1/regions?level=county&side=west", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=60) as r:
        return sorted(x["code"] for x in json.loads(r.read())["items"])


def writes_in_flight(base):
    text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    for line in text.splitlines():
        if line.startswith("xiezuo_db_writes_in_flight_current"):
            return float(line.split()[-1])
    return 0.0


def kill_during_import(database):
    tmp = tempfile.mkdtemp()
    subprocess.run([BIN, "user", "add", "--username", "dur.admin", "--role", "admin", "--region", "520000", "--password-stdin",
                    "--database", database], input=(PASSWORD + "\n").encode(), check=True, capture_output=True)
    proc, base = start(database, tmp)
    cookie = session(base)
    # One figure per county and month (a period has one), over as many years as the rows need.
    codes = counties(base, cookie)
    assert ROWS // len(codes) // 12 < 100, "not enough periods for the rows"
    rows = [{"indicatorCode": "demo_villages", "regionCode": codes[i % len(codes)], "year": 1996 + i // len(codes) // 12,
             "month": 1 + (i // len(codes)) % 12, "value": "1"} for i in range(ROWS)]
    body = json.dumps({"rows": rows}).encode()
    outcome = {}

    def send():
        req = urllib.request.Request(base + "/api/v1/progress/import", method="POST", data=body,
                                     headers={"Content-Type": "application/json", "Cookie": cookie})
        try:
            outcome["status"] = urllib.request.urlopen(req, timeout=600).status
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            outcome["error"] = str(e)

    t = threading.Thread(target=send)
    t.start()
    # Kill once the import's transaction is running (the server says so on /metrics), or give up waiting after 60 s.
    deadline = time.time() + 60
    in_write = False
    while time.time() < deadline and t.is_alive():
        if writes_in_flight(base) >= 1:
            in_write = True
            break
        time.sleep(0.01)
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    t.join()
    proc, base = start(database, tmp)
    try:
        n = imported(base, session(base))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert n in (0, ROWS), f"{n} of {ROWS} rows after the kill"
    print(f"killed during the write: {in_write}; rows after restart: {n}")
    return in_write, n


def test_sigkill_during_import_on_sqlite():
    db = f"sqlite://{tempfile.mkdtemp()}/d.sqlite"
    in_write, n = kill_during_import(db)
    assert in_write, "the kill did not land during the import's transaction"


def test_sigkill_during_import_on_postgresql(postgres_database):
    in_write, n = kill_during_import(postgres_database)
    assert in_write, "the kill did not land during the import's transaction"
