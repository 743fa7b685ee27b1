"""The public portal is a deployment's choice: off by default, on with --public or the config file's "public", its
licence from the config file; the demo serves it."""
import json
import os
import tempfile
import urllib.error
import urllib.request

from test_sign_in_cli import start


def status(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


def test_the_portal_is_switched_on_by_the_deployment_only():
    tmp = tempfile.mkdtemp()
    database = "sqlite://" + os.path.join(tmp, "pub.sqlite")
    config = os.path.join(tmp, "xiezuo.json")
    with open(config, "w") as f:
        json.dump({"public": True, "publicLicence": "开放数据测试许可 1.0"}, f)
    for extra, expected in [((), 404), (("--public",), 200), (("--config", config), 200), (("--demo",), 200)]:
        p, base = start(database, *extra, cwd=tmp)
        try:
            code, body = status(base, "/public/figures.csv")
            assert code == expected, (extra, code)
            if extra and extra[0] == "--config":
                assert body.startswith("# ") and "开放数据测试许可 1.0" in body.splitlines()[0]
            elif code == 200:
                assert "CC BY 4.0" in body.splitlines()[0]
        finally:
            p.terminate()
            p.wait(timeout=20)
