"""Starts the real xiezuo binary on a fresh SQLite file with the demo data, and a headless Chromium to drive it."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("XIEZUO_BIN", os.path.join(ROOT, ".build", "debug", "xiezuo"))
    if not os.path.exists(binary):
        pytest.fail(f"{binary} is missing: run `swift build` first (scripts/test does)")
    tmp = tempfile.mkdtemp(prefix="xiezuo-browser-")
    port = free_port()
    log = open(os.path.join(tmp, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--database", f"sqlite://{tmp}/b.sqlite"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(open(os.path.join(tmp, "server.log")).read())
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("server did not start in 30 s")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()
