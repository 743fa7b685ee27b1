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

USER, PASSWORD = "browser.admin", "Browser-test-2024"
OTHERS = [("nayong.reporter", "county-reporter", "520525"), ("bijie.officer", "prefecture-officer", "520500"),
          ("guangzhou.officer", "prefecture-officer", "440100")]
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
    db = f"sqlite://{tmp}/b.sqlite"
    # The account the browser signs in with, made the way an administrator would.
    for name, role, region in [(USER, "admin", "520000")] + OTHERS:
        subprocess.run([binary, "user", "add", "--username", name, "--role", role, "--region", region, "--password-stdin",
                        "--database", db], input=(PASSWORD + "\n").encode(), check=True, capture_output=True)
    log = open(os.path.join(tmp, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--database", db],
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
def browser(server):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--lang=zh-CN"):
        options.add_argument(arg)
    # The console, so a test can see what the content security policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    sign_in(driver, server)
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def fresh_start(request):
    """Every browser test starts the same way, whatever ran before it: signed in as the administrator, the pages in
    Chinese. (Data a test makes are its own: each names them uniquely, so no test counts on another's.)"""
    if "browser" in request.fixturenames:
        from selenium.webdriver.common.by import By
        driver = request.getfixturevalue("browser")
        server = request.getfixturevalue("server")
        driver.get(server + "/?lang=zh")
        me = driver.find_elements(By.ID, "me")
        if not me or not me[0].text.startswith(USER + " "):
            sign_in(driver, server)
            driver.get(server + "/?lang=zh")
    yield


def sign_in(driver, server, user=USER):
    from selenium.webdriver.common.by import By
    if driver.find_elements(By.ID, "logout"):
        from selenium.webdriver.support.ui import WebDriverWait
        driver.find_element(By.ID, "logout").click()
        WebDriverWait(driver, 10).until(lambda d: "/login" in d.current_url)
    driver.get(server + "/")
    assert "/login" in driver.current_url  # nothing is shown before signing in
    driver.find_element(By.NAME, "username").send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "me"))
    assert driver.find_element(By.ID, "me").text.startswith(user)


def replaced(old):
    """A wait condition: the page that held `old` has been replaced. Like staleness_of, but chromedriver's "node does
    not belong to the document" — which it reports while the next page arrives — also means the old page is gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(_driver):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            return "does not belong to the document" in str(e)
    return check


WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def labour_id(first13, n):
    """A valid 18-digit ID number: 13 digits given, a 4-digit serial, and its check digit (GB 11643)."""
    first = f"{first13}{n:04d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, WEIGHTS)) % 11]


def submit(browser, form):
    """Submits a form and waits until the next page has replaced this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(replaced(old))
