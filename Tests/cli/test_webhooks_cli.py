"""Group robots against the real binary and a local HTTP sink standing in for WeCom: a prefecture office registers
its robot (addresses outside the allowed origins refused), opens a round, and the message reaches the sink — after
the sink's first answer was a failure, on the retry. The robot's key is never shown nor stored in clear."""
import http.cookiejar
import http.server
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from clihelpers import BIN, free_port
from test_sign_in_cli import PASSWORD, add_user, start


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    if request.param == "sqlite":
        yield "sqlite://" + os.path.join(tempfile.mkdtemp(), "robots.sqlite")
    else:
        yield request.getfixturevalue("postgres_database")


def query(database, sql):
    """Rows of `sql` on either engine, as tuples of text."""
    if database.startswith("sqlite://"):
        with sqlite3.connect(database[len("sqlite://"):]) as db:
            return [tuple(str(c) for c in row) for row in db.execute(sql).fetchall()]
    out = subprocess.run(["psql", database, "-AtF", "\t", "-c", sql], capture_output=True, check=True).stdout.decode()
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


class Sink(http.server.BaseHTTPRequestHandler):
    """Answers 500 to the first message, then 200 with WeCom's errcode 0; keeps every body it got."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Sink.received.append((self.path, self.headers.get("Content-Type"), body))
        failing = len(Sink.received) == 1
        self.send_response(500 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode":500}' if failing else b'{"errcode":0,"errmsg":"ok"}')

    def log_message(self, *args):
        pass


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, method, path, form=None, body=None):
        data, headers = None, {}
        if form is not None:
            data, headers = urllib.parse.urlencode(form, doseq=True).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        if body is not None:
            data, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data, headers=headers, method=method), timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def csrf(self, path):
        return re.search(r'name="_csrf" value="([^"]+)"', self.request("GET", path)[1]).group(1)


def test_a_round_reaches_the_robot_after_a_failed_first_post(database):
    Sink.received = []
    sink_port = free_port()
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", sink_port), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp()
    config = os.path.join(tmp, "xiezuo.json")
    with open(config, "w") as f:
        json.dump({"webhookOrigins": [f"http://127.0.0.1:{sink_port}"], "webhookRetrySeconds": 1}, f)
    assert subprocess.run([BIN, "migrate", "--database", database], capture_output=True, timeout=300).returncode == 0
    add_user(database, "robot.officer", role="prefecture-officer", region="520500", cwd=tmp)
    add_user(database, "robot.reporter", role="county-reporter", region="520525", cwd=tmp)
    p, base = start(database, "--demo", "--config", config, cwd=tmp)
    try:
        officer = Browser(base)
        assert officer.request("POST", "/api/v1/session", body={"username": "robot.officer", "password": PASSWORD})[0] == 200
        token = officer.csrf("/webhooks")
        secret = "robotkey-5f1e2d"
        # Addresses that are not a robot of an allowed origin: refused, nothing stored.
        for bad in ["http://169.254.169.254/latest/meta-data", f"https://qyapi.weixin.qq.com.evil.example/send?key={secret}",
                    f"https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key={secret}", f"http://127.0.0.1:{sink_port + 1}/x",
                    "file:///etc/passwd", "javascript:alert(1)"]:
            code, page = officer.request("POST", "/webhooks", form={"_csrf": token, "name": "坏地址", "kind": "wecom", "url": bad,
                                                                   "events": ["round", "reminder"]})
            assert code == 422, bad
        assert query(database, "SELECT COUNT(*) FROM webhooks") == [("0",)]
        url = f"http://127.0.0.1:{sink_port}/cgi-bin/webhook/send?key={secret}"
        code, _ = officer.request("POST", "/webhooks", form={"_csrf": token, "name": "毕节协作工作群", "kind": "wecom", "url": url,
                                                             "events": ["round", "reminder", "warning"]})
        assert code == 200  # after the redirect, the list
        code, page = officer.request("GET", "/webhooks")
        assert "毕节协作工作群" in page and secret not in page
        stored = query(database, "SELECT url_sealed, url_shown FROM webhooks")[0]
        assert secret not in stored[0] and secret not in stored[1] and stored[0].startswith("enc1:")
        # A county may not register robots.
        reporter = Browser(base)
        assert reporter.request("POST", "/api/v1/session", body={"username": "robot.reporter", "password": PASSWORD})[0] == 200
        assert reporter.request("GET", "/webhooks")[0] == 403

        # A round opened through the API: its message is posted, refused once by the sink, and sent on the retry.
        deadline = time.strftime("%Y-%m-%d", time.localtime(time.time() + 10 * 86400))
        month = int(time.strftime("%m")) - 1 or 12
        year = int(time.strftime("%Y")) - (1 if month == 12 else 0)
        code, _ = officer.request("POST", "/api/v1/rounds", body={"title": "机器人测试轮次", "year": year, "month": month,
                                                                   "deadline": deadline, "indicators": ["demo_villages"],
                                                                   "members": ["520525"]})
        assert code == 201
        for _ in range(200):
            if len(Sink.received) >= 2:
                break
            time.sleep(0.1)
        assert len(Sink.received) >= 2, Sink.received
        first, second = Sink.received[0], Sink.received[1]
        assert first[2] == second[2] and first[0] == f"/cgi-bin/webhook/send?key={secret}"
        assert first[1].startswith("application/json")
        message = json.loads(second[2])
        assert message["msgtype"] == "markdown" and "机器人测试轮次" in message["markdown"]["content"]
        # The log says: sent, on the second attempt.
        row = None
        for _ in range(50):
            rows = query(database, "SELECT state, attempts FROM webhook_deliveries WHERE event_key LIKE 'round:%:opened'")
            row = rows[0] if rows else None
            if row and row[0] == "sent":
                break
            time.sleep(0.1)
        assert row == ("sent", "2")
        page = officer.request("GET", "/webhooks")[1]
        assert 'data-state="sent"' in page
    finally:
        p.terminate()
        p.wait(timeout=30)
        sink.shutdown()
