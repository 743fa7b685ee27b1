"""The conference report from the command line: HTML, XLSX and PDF, the same bytes for the same data, figures
that a spreadsheet program reads back, and clear failures."""
import os
import shutil
import subprocess
import tempfile

import openpyxl
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("XIEZUO_BIN", os.path.join(ROOT, ".build", "debug", "xiezuo"))


@pytest.fixture(scope="module")
def db():
    path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
    r = subprocess.run([BIN, "migrate", "--demo", "--database", f"sqlite://{path}"], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return f"sqlite://{path}"


def report(db, fmt, out, meeting="1"):
    return subprocess.run([BIN, "report", "conference", "--meeting", meeting, "--format", fmt, "--as-of", "2026-01-01",
                           "--output", out, "--database", db], capture_output=True, timeout=300)


def test_xlsx_reads_back_and_is_reproducible(db):
    tmp = tempfile.mkdtemp()
    a, b = os.path.join(tmp, "a.xlsx"), os.path.join(tmp, "b.xlsx")
    r = report(db, "xlsx", a)
    assert r.returncode == 0, r.stderr
    assert "已写入" in r.stderr.decode()  # progress goes to standard error
    assert report(db, "xlsx", b).returncode == 0
    assert open(a, "rb").read() == open(b, "rb").read()
    book = openpyxl.load_workbook(a)
    assert book.sheetnames == ["概况", "指标完成", "工作领域", "各地区", "重点项目", "台账汇总", "督办任务", "监测预警"]
    rows = {r[0]: r for r in book["指标完成"].iter_rows(min_row=2, values_only=True)}
    assert rows["财政援助资金"][2] == 320000  # the target, in 万元, as a number
    tasks = list(book["督办任务"].iter_rows(min_row=2, values_only=True))
    assert len(tasks) == 7 and sum(1 for t in tasks if t[5] == "已逾期") == 4


def test_html_and_pdf(db):
    tmp = tempfile.mkdtemp()
    h1, h2 = os.path.join(tmp, "a.html"), os.path.join(tmp, "b.html")
    assert report(db, "html", h1).returncode == 0 and report(db, "html", h2).returncode == 0
    html = open(h1, encoding="utf-8").read()
    assert html == open(h2, encoding="utf-8").read()
    # Dates are kept on one line (each in a nowrap span).
    assert "@page" in html and "<svg" in html and '数据截至 <span class="nowrap">2026-01-01</span>' in html
    if shutil.which("chromium") is None and not os.environ.get("XIEZUO_REQUIRE_CHROMIUM"):
        pytest.skip("no Chromium here, so the PDF form is not checked")
    p1, p2 = os.path.join(tmp, "a.pdf"), os.path.join(tmp, "b.pdf")
    r = report(db, "pdf", p1)
    assert r.returncode == 0, r.stderr
    assert report(db, "pdf", p2).returncode == 0
    data = open(p1, "rb").read()
    assert data.startswith(b"%PDF") and data == open(p2, "rb").read()


def test_unknown_meeting_is_a_clear_error(db):
    r = report(db, "html", os.path.join(tempfile.mkdtemp(), "x.html"), meeting="999")
    assert r.returncode != 0 and "不存在" in r.stderr.decode() and "does not exist" in r.stderr.decode()
