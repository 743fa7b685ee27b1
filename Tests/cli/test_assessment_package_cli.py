"""`xiezuo report assessment`: the year-end package of 毕节's pairing with 广州, checked file by file as a reviewer
opens it — the report, each indicator's figures and ledger rows (personal data masked), the evidence files, and an
index that names every file."""
import csv
import io
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile

import openpyxl

from clihelpers import BIN
from test_sign_in_cli import start


def demo_database():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "pkg.sqlite")
    p, _ = start("sqlite://" + path, "--demo", cwd=tmp)
    p.terminate()
    p.wait(timeout=30)
    return tmp, path


def test_the_assessment_package_file_by_file():
    tmp, path = demo_database()
    with sqlite3.connect(path) as db:
        pairing = db.execute("SELECT id FROM pairings WHERE west_code = '520500'").fetchone()[0]
        evidence = db.execute(
            "SELECT COUNT(*) FROM attachments a JOIN progress p ON p.id = a.owner_id "
            "WHERE a.owner_kind = 'progress' AND p.region_code LIKE '5205%' AND p.indicator_code = 'fiscal_aid'").fetchone()[0]
    assert evidence >= 3  # the demo's vouchers and photo
    out = os.path.join(tmp, "毕节2024考核.zip")
    pdf = shutil.which("chromium") is not None
    args = [BIN, "report", "assessment", "--pairing", str(pairing), "--year", "2024", "--output", out,
            "--database", "sqlite://" + path] + ([] if pdf else ["--no-pdf"])
    r = subprocess.run(args, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()
    assert "已写入" in r.stderr.decode()

    z = zipfile.ZipFile(out)
    names = z.namelist()
    # Names are UTF-8, as Windows and WPS read them.
    assert all(i.flag_bits & 0x800 for i in z.infolist())
    # The report: a spreadsheet with every scored indicator and the total, and a PDF (or its HTML without Chromium).
    book = openpyxl.load_workbook(io.BytesIO(z.read("00_自评报告.xlsx")), read_only=True)
    rows = list(book["自评"].iter_rows(values_only=True))
    assert rows[0][:3] == ("指标", "目标", "完成") and rows[-1][0] == "合计"
    indicators = [row[0] for row in rows[1:-1]]
    assert "财政援助资金" in indicators and "帮助农村劳动力就业" in indicators
    if pdf:
        assert z.read("00_自评报告.pdf")[:5] == b"%PDF-"
    else:
        assert "财政援助资金" in z.read("00_自评报告.html").decode()
    # One folder per indicator, numbered in the report's order.
    folders = sorted({n.split("/")[0] for n in names if "/" in n and re.match(r"^\d\d_", n)})
    assert [f[3:] for f in folders] == indicators
    # A reported indicator: its figures for 毕节's counties, November's waiting for review included and said so.
    fiscal = next(f for f in folders if f.endswith("_财政援助资金"))
    sheet = openpyxl.load_workbook(io.BytesIO(z.read(f"{fiscal}/填报数据.xlsx")), read_only=True).active
    figures = list(sheet.iter_rows(values_only=True))
    assert figures[0][:3] == ("地区", "地区代码", "月份")
    assert all(str(row[1]).startswith("5205") for row in figures[1:])
    assert {row[2] for row in figures[1:]} >= {"2024-01", "2024-10", "2024-11"}
    assert "待审核" in {row[4] for row in figures[1:]}
    # Its evidence, named by county and period: the vouchers are PDFs, the photo a PNG.
    files = [n for n in names if n.startswith(f"{fiscal}/佐证材料/")]
    assert len(files) == evidence
    for n in files:
        assert re.search(r"/佐证材料/[^/_]+_2024-11_", n), n
        data = z.read(n)
        assert data[:5] == b"%PDF-" if n.endswith(".pdf") else data[:8] == b"\x89PNG\r\n\x1a\n"
    # A ledger indicator: its approved rows, with no identity number in clear.
    labour = next(f for f in folders if f.endswith("_帮助农村劳动力就业"))
    ledger = openpyxl.load_workbook(io.BytesIO(z.read(f"{labour}/台账_劳务协作台账.xlsx")), read_only=True).active
    cells = [str(c) for row in ledger.iter_rows(min_row=2, values_only=True) for c in row if c is not None]
    assert cells and not any(re.fullmatch(r"\d{17}[\dX]", c) for c in cells)
    # The index names every other file, with what it supports.
    index = list(csv.reader(io.StringIO(z.read("目录.csv").decode("utf-8-sig"))))
    assert "毕节" in index[0][0] and "2024" in index[0][0]
    listed = {row[0] for row in index[2:]}
    assert listed == set(names) - {"目录.csv"}


def test_a_year_without_an_agreement_leaves_no_file_and_says_why():
    tmp, path = demo_database()
    out = os.path.join(tmp, "none.zip")
    r = subprocess.run([BIN, "report", "assessment", "--pairing", "1", "--year", "2019", "--output", out, "--no-pdf",
                        "--database", "sqlite://" + path], capture_output=True, timeout=120)
    assert r.returncode != 0 and "没有 2019 年的协议" in r.stderr.decode()
    assert not os.path.exists(out)
    r = subprocess.run([BIN, "report", "assessment", "--pairing", "999", "--year", "2024", "--output", out, "--no-pdf",
                        "--database", "sqlite://" + path], capture_output=True, timeout=120)
    assert r.returncode != 0 and "/pairings" in r.stderr.decode()
