"""Ledger sheets as offices write them, through `xiezuo import` and `xiezuo export`: five office styles give the
same stored rows as a clean CSV; one bad row among thousands writes nothing and names its row, column and reason;
broken files fail clearly; an export imports back as a no-op with ID numbers kept as text."""
import datetime
import os
import subprocess
import tempfile
import zipfile

import openpyxl
import pytest

from clihelpers import BIN

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(county, n):
    first = f"{county}1988{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, WEIGHTS)) % 11]


# Six workers: name, ID, phone, county code, county name, formerly poor, employer, city, start, months, wage (yuan).
WORKERS = [
    ("张晓梅", id_number("520525", 1), "13800000001", "520525", "纳雍县", True, "佛山美的工厂", "佛山市", datetime.date(2024, 3, 1), 9, 4500),
    ("李国强", id_number("520525", 2), "13800000002", "520525", "纳雍县", False, "佛山美的工厂", "佛山市", datetime.date(2024, 3, 15), 8, 5200.5),
    ("王芳", id_number("520525", 3), "", "520525", "纳雍县", True, "东莞电子厂", "东莞市", datetime.date(2024, 4, 2), 7, 4800),
    ("赵磊", id_number("520203", 4), "13800000004", "520203", "六枝特区", False, "广州物流公司", "广州市", datetime.date(2024, 5, 20), 6, 6100),
    ("陈静", id_number("520203", 5), "13800000005", "520203", "六枝特区", True, "深圳服装厂", "深圳市", datetime.date(2024, 6, 4), 5, 3900),
    ("杨勇", id_number("520203", 6), "13800000006", "520203", "六枝特区", False, "中山灯饰厂", "中山市", datetime.date(2024, 12, 31), 1, 12345.67),
]


def run(*args, timeout=600):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def fresh_db():
    return "sqlite://" + os.path.join(tempfile.mkdtemp(), "l.sqlite")


def stored(db):
    """Every stored labour row, as the CLI exports it (CSV text)."""
    r = run("export", "labour", "--format", "csv", "--database", db)
    assert r.returncode == 0, r.stderr
    return r.stdout


def clean_csv(path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("姓名,身份证号码,联系电话,户籍县,是否脱贫人口,就业单位,就业城市,就业时间,就业月数,月工资（元）\n")
        for w in WORKERS:
            f.write(",".join([w[0], w[1], w[2], w[3], "是" if w[5] else "否", w[6], w[7], w[8].isoformat(), str(w[9]), str(w[10])]) + "\n")


def style_merged_title_real_dates(path):
    """A title merged over the columns, a blank row, synonyms for headers, real Excel dates, numbers with formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "劳务协作"
    ws.append(["2024年劳务协作台账（毕节、六盘水）"])
    ws.merge_cells("A1:K1")
    ws.append([])
    ws.append(["序号", "姓名", "身份证号", "手机号码", "户籍所在县", "是否脱贫劳动力", "用工单位", "务工地", "入职时间", "务工月数", "月收入（元）"])
    for i, w in enumerate(WORKERS, 1):
        ws.append([i, w[0], w[1], w[2] or None, w[4], "是" if w[5] else "否", w[6], w[7], w[8], w[9], w[10]])
        ws.cell(row=ws.max_row, column=3).number_format = "@"
        ws.cell(row=ws.max_row, column=9).number_format = "yyyy/m/d"
        ws.cell(row=ws.max_row, column=11).number_format = "#,##0.00"
    wb.save(path)


def style_full_width_and_wan(path):
    """Full-width digits, stray spaces, dates as 2024年3月1日, wages in 万元, counties with their prefecture."""
    def fw(s):
        return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in s)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["  姓 名 ", "公民身份号码", "联系电话", "户籍县", "脱贫人口", "就业单位", "就业城市", "就业日期", "就业时长（月）", "月均工资（万元）"])
    prefecture = {"520525": "毕节市", "520203": "六盘水市"}
    for w in WORKERS:
        d = w[8]
        wage_wan = f"{w[10] / 10000:.6f}".rstrip("0")
        ws.append([f" {w[0]}\u3000", fw(w[1]), fw(w[2]) if w[2] else "", prefecture[w[3]] + w[4], "Y" if w[5] else "N", f" {w[6]} ", w[7],
                   fw(f"{d.year}年{d.month}月{d.day}日"), fw(str(w[9])), wage_wan])
    wb.save(path)


def style_gbk_csv_with_total(path):
    """What Excel on Chinese Windows saves as CSV: GBK, dates 2024/3/1, thousands separators, a total row."""
    lines = ["姓名,身份证号码,联系电话,县（市、区）,是否脱贫户,工作单位,就业地点,上岗时间,就业月数,月工资"]
    for w in WORKERS:
        d = w[8]
        wage = f"{w[10]:,}" if isinstance(w[10], int) else f"{w[10]:,.2f}"
        lines.append(",".join([w[0], w[1], w[2], w[3], "是" if w[5] else "否", w[6], w[7], f"{d.year}/{d.month}/{d.day}", str(w[9]), f'"{wage}"']))
    lines.append("合计,,,,,,,,," + str(sum(w[10] for w in WORKERS)))
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("gbk"))


def style_shuffled_serials(path):
    """Header on row 4 under a title and a note, columns in another order with an extra one, dates as bare serial
    numbers (no date format), dotted dates in text elsewhere, county codes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "附件2"
    ws["A2"] = "东西部协作劳务协作台账"
    ws["A3"] = "填报单位：（盖章）            填报日期：2024年12月"
    ws.append(["备注", "就业城市", "就业单位", "姓名", "户籍县", "身份证号码", "是否脱贫人口", "入职日期", "联系电话", "月工资（元）", "就业月数"])
    epoch = datetime.date(1899, 12, 30)
    for i, w in enumerate(WORKERS):
        start = (w[8] - epoch).days if i % 2 == 0 else f"{w[8].year}.{w[8].month}.{w[8].day}"
        ws.append(["", w[7], w[6], w[0], w[3], w[1], "是" if w[5] else "否", start, w[2], w[10], w[9]])
    wb.save(path)


def style_dashed_dates_sheet_two(path):
    """The data on a second sheet after an instructions sheet (the workbook's first sheet is what is read, so the
    instructions come second), dates as 2024-3-1 text, everything typed as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["姓名", "身份证", "手机", "所在县", "是否脱贫人口", "就业企业", "务工城市", "就业时间", "务工月数", "月均收入（元）"])
    for w in WORKERS:
        d = w[8]
        ws.append([w[0], w[1], w[2], w[4], "是" if w[5] else "否", w[6], w[7], f"{d.year}-{d.month}-{d.day}", str(w[9]), str(w[10])])
    notes = wb.create_sheet("填表说明")
    notes.append(["身份证号码请设为文本格式。"])
    wb.save(path)


def style_xls_two_row_header(path):
    """An Excel 97-2003 workbook (written by xlwt, as old office macros do): a merged title, a two-row header with
    group headings, a county column with the (区) qualifier, real dates, wages as numbers, a 合计 row at the end."""
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("劳务输出")
    ws.write_merge(0, 0, 0, 10, "2024年劳务协作转移就业台账（按季度更新）")
    ws.write_merge(1, 1, 0, 4, "人员信息")
    ws.write_merge(1, 1, 5, 10, "就业情况")
    for c, h in enumerate(["姓名", "身份证号", "手机号码", "县(区)", "是否脱贫户", "务工单位", "务工地", "上岗时间", "务工月数",
                           "月收入（元）", "备注"]):
        ws.write(2, c, h)
    day = xlwt.easyxf(num_format_str="yyyy年m月d日")
    for i, w in enumerate(WORKERS):
        row = 3 + i
        for c, v in enumerate([w[0], w[1], w[2], w[4], "是" if w[5] else "否", w[6], w[7]]):
            ws.write(row, c, v)
        ws.write(row, 7, w[8], day)
        ws.write(row, 8, w[9])
        ws.write(row, 9, w[10])
    ws.write(3 + len(WORKERS), 0, "合计")
    wb.save(path)


def style_xls_plain_codes(path):
    """An .xls with the header in the first row, county codes as numbers and dates written as text."""
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for c, h in enumerate(["姓名", "身份证号码", "联系电话", "户籍县代码", "脱贫人口", "就业单位", "就业城市", "就业时间", "就业月数", "月工资"]):
        ws.write(0, c, h)
    for i, w in enumerate(WORKERS):
        for c, v in enumerate([w[0], w[1], w[2], int(w[3]), "是" if w[5] else "否", w[6], w[7], w[8].strftime("%Y/%m/%d"), w[9], w[10]]):
            ws.write(1 + i, c, v)
    wb.save(path)


def style_mac_1904_dates(path):
    """Excel for Mac's 1904 date system: the same dates are stored as serials 1,462 days smaller."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    style_merged_title_real_dates(path)
    wb = openpyxl.load_workbook(path)
    wb.epoch = CALENDAR_MAC_1904
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml")


def style_iso_date_cells(path):
    """Dates stored as ISO 8601 date cells (t="d"), as strict workbooks and some converters write them."""
    wb = openpyxl.Workbook(iso_dates=True)
    ws = wb.active
    ws.append(["姓名", "身份证号码", "联系电话", "户籍县", "是否脱贫人口", "就业单位", "就业城市", "就业时间", "就业月数", "月工资（元）"])
    for w in WORKERS:
        ws.append([w[0], w[1], w[2] or None, w[3], "是" if w[5] else "否", w[6], w[7],
                   datetime.datetime.combine(w[8], datetime.time()), w[9], w[10]])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b't="d"' in z.read("xl/worksheets/sheet1.xml")


def style_prefixed_rich_text(path):
    """What WPS and .NET-based systems write: every element with a namespace prefix (x:row, x:c), shared strings
    split into formatted runs, and the workbook's relationships given as absolute paths."""
    import re
    style_merged_title_real_dates(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}

    def prefixed(xml):
        text = xml.decode("utf-8")
        text = re.sub(r"<(/?)(?!\?|x:)([A-Za-z]+)", r"<\1x:\2", text)
        return text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                            'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"').encode("utf-8")

    # Strings move to a shared table, each split into two formatted runs.
    table = []

    def shared(m):
        table.append(m.group(2))
        return f'<c {m.group(1)}t="s"><v>{len(table) - 1}</v></c>'

    sheet = re.sub(r'<c ([^>]*?)t="inlineStr"><is><t>([^<]*)</t></is></c>', shared, parts["xl/worksheets/sheet1.xml"].decode("utf-8"))
    items = "".join(f"<si><r><rPr><b/></rPr><t>{t[:len(t) // 2]}</t></r><r><t>{t[len(t) // 2:]}</t></r></si>" for t in table)
    parts["xl/sharedStrings.xml"] = prefixed(
        ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
         % (len(table), len(table), items)).encode("utf-8"))
    parts["xl/worksheets/sheet1.xml"] = prefixed(sheet.encode("utf-8"))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="/xl/sharedStrings.xml" Id="rId9"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


STYLES = [style_mac_1904_dates, style_iso_date_cells, style_prefixed_rich_text, style_merged_title_real_dates, style_full_width_and_wan, style_gbk_csv_with_total, style_shuffled_serials,
          style_dashed_dates_sheet_two, style_xls_two_row_header, style_xls_plain_codes]


def suffix(style):
    return ".csv" if "csv" in style.__name__ else ".xls" if "xls_" in style.__name__ else ".xlsx"


def test_every_office_style_stores_the_same_rows_as_a_clean_csv():
    tmp = tempfile.mkdtemp()
    reference_db = fresh_db()
    clean = os.path.join(tmp, "clean.csv")
    clean_csv(clean)
    r = run("import", "labour", clean, "--database", reference_db)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "新增 added 6" in r.stdout
    reference = stored(reference_db)
    assert reference.count("\n") == 7 and "张晓梅" in reference
    for style in STYLES:
        path = os.path.join(tmp, style.__name__ + suffix(style))
        style(path)
        db = fresh_db()
        r = run("import", "labour", path, "--database", db)
        assert r.returncode == 0, f"{style.__name__}: {r.stdout}{r.stderr}"
        assert stored(db) == reference, style.__name__
        # The same sheet again changes nothing.
        again = run("import", "labour", path, "--database", db)
        assert "未变 unchanged 6" in again.stdout, style.__name__


def big_sheet(path, rows, bad_row=None):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("劳务")
    ws.append(["姓名", "身份证号码", "户籍县", "是否脱贫人口", "就业单位", "就业城市", "就业时间"])
    for i in range(rows):
        ident = id_number("520525", i) if i != bad_row else id_number("520525", i)[:-1] + ("0" if id_number("520525", i)[-1] != "0" else "1")
        ws.append([f"工人{i}", ident, "纳雍县", "是" if i % 3 == 0 else "否", f"企业{i % 50}", "佛山市", f"2024-0{1 + i % 9}-1{i % 10}"])
    wb.save(path)


def test_one_bad_row_among_thousands_writes_nothing():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    path = os.path.join(tmp, "big.xlsx")
    big_sheet(path, 3000, bad_row=2500)
    r = run("import", "labour", path, "--database", db)
    assert r.returncode == 1
    # Header is row 1, so the 2,501st worker is on row 2502; the ID is column B.
    assert "第 2502 行" in r.stdout and "B 身份证号码" in r.stdout and "校验位不正确" in r.stdout
    assert "未写入任何数据" in r.stdout
    assert stored(db).count("\n") == 1  # the header alone
    # Progress went to standard error.
    assert "100%" in r.stderr


def test_broken_files_fail_clearly_and_write_nothing():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    good = os.path.join(tmp, "good.xlsx")
    big_sheet(good, 2000)
    cases = {}
    cases["not_zip.xlsx"] = b"PK\x03\x04 this is not a workbook at all"
    data = open(good, "rb").read()
    cases["truncated.xlsx"] = data[: len(data) // 2]
    bomb = os.path.join(tmp, "bomb.xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
                   '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&d;</t></is></c></row></sheetData></worksheet>')
    cases["bomb.xlsx"] = open(bomb, "rb").read()
    huge = os.path.join(tmp, "huge.xlsx")
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>')
            chunk = b"a" * (1 << 20)
            for _ in range(40):  # a 40 MB cell: within what a file of this size may unpack to, refused as a cell
                f.write(chunk)
            f.write(b"</t></is></c></row></sheetData></worksheet>")
    cases["huge.xlsx"] = open(huge, "rb").read()
    zipbomb = os.path.join(tmp, "zipbomb.xlsx")
    with zipfile.ZipFile(zipbomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(300):  # 300 MB of empty rows from a file of a few hundred kilobytes
                f.write(b"<row/>" * ((1 << 20) // 6 + 1))
    cases["zipbomb.xlsx"] = open(zipbomb, "rb").read()
    # An .xls whose compound-file signature is followed by rubbish (a damaged mail attachment).
    cases["damaged.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096)
    messages = {}
    for name, content in cases.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(content)
        r = run("import", "labour", path, "--database", db)
        assert r.returncode not in (0, 1), name  # an error, not a rejected-rows report
        assert r.returncode > 0, f"{name} crashed with signal {-r.returncode}"
        assert "无法读取文件" in r.stderr, f"{name}: {r.stderr}"
        messages[name] = r.stderr
    assert "不是" in messages["not_zip.xlsx"] or "zip" in messages["not_zip.xlsx"].lower()
    assert "DOCTYPE" in messages["bomb.xlsx"] or "实体" in messages["bomb.xlsx"]
    assert "单元格" in messages["huge.xlsx"]
    assert "压缩炸弹" in messages["zipbomb.xlsx"] and "zip bomb" in messages["zipbomb.xlsx"]
    assert ".xls" in messages["damaged.xls"] and ".xlsx" in messages["damaged.xls"]
    assert stored(db).count("\n") == 1


def test_export_imports_back_unchanged_with_ids_as_text():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    clean = os.path.join(tmp, "clean.csv")
    clean_csv(clean)
    assert run("import", "labour", clean, "--database", db).returncode == 0
    out = os.path.join(tmp, "export.xlsx")
    r = run("export", "labour", "--format", "xlsx", "--output", out, "--database", db)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["姓名", "身份证号码", "联系电话"]
    ids = [ws.cell(row=i, column=2) for i in range(2, 8)]
    assert [c.value for c in ids] == [w[1] for w in WORKERS]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    # Counties with their codes, money as numbers.
    assert ws.cell(row=2, column=4).value == "纳雍县（520525）"
    assert ws.cell(row=7, column=10).value == 12345.67
    r = run("import", "labour", out, "--database", db)
    assert r.returncode == 0 and "未变 unchanged 6" in r.stdout and "新增 added 0" in r.stdout, r.stdout
    csv_out = os.path.join(tmp, "export.csv")
    assert run("export", "labour", "--output", csv_out, "--database", db).returncode == 0
    r = run("import", "labour", csv_out, "--database", db)
    assert "未变 unchanged 6" in r.stdout, r.stdout


def test_purchase_amounts_leave_in_yuan_as_the_office_kept_them():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    sheet = os.path.join(tmp, "消费帮扶.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write("产品名称,供货企业,企业所在县,采购方,渠道,金额（元）,日期\n")
        f.write("白茶（礼盒装）,纳雍茶业公司,纳雍县,佛山某食堂,食堂,27494.18,2024-06-04\n")
        # A header without a unit: the ledger's own unit, 元.
    plain = os.path.join(tmp, "无单位.csv")
    with open(plain, "w", encoding="utf-8") as f:
        f.write("产品名称,供货企业,企业所在县,采购方,渠道,金额,日期\n刺梨汁,纳雍刺梨公司,纳雍县,东莞某食堂,食堂,500,2024-06-05\n")
    assert run("import", "consumption", sheet, "--database", db).returncode == 0
    assert run("import", "consumption", plain, "--database", db).returncode == 0
    r = run("export", "consumption", "--format", "csv", "--database", db)
    assert r.returncode == 0, r.stderr
    assert "金额（元）" in r.stdout and "27494.18" in r.stdout and ",500," in r.stdout, r.stdout
    assert "白茶（礼盒装）" in r.stdout  # text as the office wrote it
    # The export imports back as it is: nothing changes.
    back = os.path.join(tmp, "export.csv")
    with open(back, "w", encoding="utf-8") as f:
        f.write(r.stdout)
    again = run("import", "consumption", back, "--database", db)
    assert "未变 unchanged 2" in again.stdout and "新增 added 0" in again.stdout, again.stdout


def test_a_header_no_synonym_knows_is_mapped_and_unused_columns_are_named():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    sheet = os.path.join(tmp, "某县消费帮扶.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        # 购买主体 is this office's word for the buyer; 经办人 is a column the ledger does not keep.
        f.write("产品名称,供货企业,企业所在县,购买主体,渠道,金额（元）,日期,经办人\n")
        f.write("刺梨干,纳雍刺梨公司,纳雍县,佛山某食堂,食堂,800,2024-06-05,王某\n")
    refused = run("import", "consumption", sheet, "--database", db)
    assert refused.returncode != 0 and "--map" in refused.stderr and "buyer" in refused.stderr, refused.stderr
    assert "Usage" not in refused.stderr
    bad = run("import", "consumption", sheet, "--map", "购买主体=买家", "--database", db)
    assert bad.returncode != 0 and "HEADER=field" in bad.stderr, bad.stderr
    ok = run("import", "consumption", sheet, "--map", "购买主体=采购方", "--database", db)
    assert ok.returncode == 0 and "新增 added 1" in ok.stdout, ok.stdout + ok.stderr
    assert "未导入的列 / columns not imported: H 经办人" in ok.stdout, ok.stdout
    assert "佛山某食堂" in stored_consumption(db)


def stored_consumption(db):
    r = run("export", "consumption", "--format", "csv", "--database", db)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_worksheet_is_chosen_by_name_or_position():
    tmp = tempfile.mkdtemp()
    book = os.path.join(tmp, "台账汇总.xlsx")
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["请按下表填写，金额单位为元。"])
    data = wb.create_sheet("消费帮扶")
    data.append(["产品名称", "供货企业", "企业所在县", "采购方", "渠道", "金额（元）", "日期"])
    data.append(["刺梨汁", "纳雍刺梨公司", "纳雍县", "东莞某食堂", "食堂", 500, "2024-06-05"])
    wb.save(book)
    # Without a choice, the first sheet whose header maps: the notes sheet before it is passed over.
    first = run("import", "consumption", book, "--dry-run", "--database", fresh_db())
    assert first.returncode == 0 and "新增 added 1" in first.stdout, first.stdout + first.stderr
    wrong = run("import", "consumption", book, "--sheet", "台账", "--database", fresh_db())
    assert wrong.returncode != 0 and "填表说明、消费帮扶" in wrong.stderr, wrong.stderr
    for choice in ("消费帮扶", "2"):
        r = run("import", "consumption", book, "--sheet", choice, "--database", fresh_db())
        assert r.returncode == 0 and "新增 added 1" in r.stdout, (choice, r.stdout, r.stderr)


def test_old_county_names_import_under_todays_county_with_a_note():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    sheet = os.path.join(tmp, "旧县名.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write("产品名称,供货企业,企业所在县,采购方,渠道,金额（元）,日期\n")
        f.write("刺梨汁,盘县刺梨公司,盘县,佛山某食堂,食堂,500,2024-06-05\n")
        f.write("猕猴桃,水城果业,520221,东莞某食堂,食堂,300,2024-06-06\n")
    r = run("import", "consumption", sheet, "--database", db)
    assert r.returncode == 0 and "新增 added 2" in r.stdout, r.stdout + r.stderr
    assert "“盘县”是旧称（2017年变更），已按现名“盘州市”（520281）记录" in r.stdout, r.stdout
    exported = run("export", "consumption", "--format", "csv", "--database", db).stdout
    assert "盘州市（520281）" in exported and "水城区（520204）" in exported, exported


def test_a_wide_sheet_without_a_header_is_refused_with_the_missing_columns():
    """29 rows of 3,000 cells that name no field (docs/BENCHMARKS.md: this once took minutes)."""
    path = os.path.join(tempfile.mkdtemp(), "wide.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("标题\n" + "".join(",".join(f"备注{r}-{c}" for c in range(3000)) + "\n" for r in range(29)))
    r = run("import", "consumption", path, "--dry-run", "--database", fresh_db())
    assert r.returncode != 0 and "产品名称" in r.stderr and "--map" in r.stderr, r.stderr


def test_template_filled_in_excel_style_imports_and_its_export_reimports_as_a_no_op():
    tmp = tempfile.mkdtemp()
    db = fresh_db()
    template = os.path.join(tmp, "labour-template.xlsx")
    r = run("export", "labour", "--template", "--region", "520500", "--output", template, "--database", db)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    assert wb.worksheets[1].sheet_state == "hidden"
    header = [c.value for c in ws[2]]
    assert header[:4] == ["姓名", "身份证号码", "联系电话", "户籍县"] and "月工资（元）" in header
    assert "填写说明" in ws["A1"].value
    # ID and phone columns are text, the date column a date; counties and 是/否 are drop-downs from the hidden sheet.
    assert ws.column_dimensions["B"].number_format == "@" and ws.column_dimensions["C"].number_format == "@"
    assert "yy" in ws.column_dimensions["H"].number_format
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"D3", "E3"}
    options = wb.worksheets[1]
    counties = [c.value for c in options["A"][1:] if c.value]
    assert "纳雍县（520525）" in counties and all("（5205" in c for c in counties)  # Bijie's counties only
    assert [c.value for c in options["B"][1:3]] == ["是", "否"]
    # Filled in as a person would: picked from the lists, dates as dates, IDs typed as text.
    for i, w in enumerate(WORKERS[:3]):
        row = 3 + i
        for col, v in zip("ABCDEFGHIJ", [w[0], w[1], w[2] or None, "纳雍县（520525）", "是" if w[5] else "否", w[6], w[7],
                                         datetime.datetime.combine(w[8], datetime.time()), w[9], w[10]]):
            ws[f"{col}{row}"] = v
    wb.save(template)
    r = run("import", "labour", template, "--database", db)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "新增 added 3" in r.stdout
    # Export -> import: nothing changes, in either format.
    for fmt in ("xlsx", "csv"):
        exported = os.path.join(tmp, "export." + fmt)
        r = run("export", "labour", "--format", fmt, "--output", exported, "--database", db)
        assert r.returncode == 0, r.stderr
        again = run("import", "labour", exported, "--database", db)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "未变 unchanged 3" in again.stdout and "新增 added 0" in again.stdout, again.stdout
    # The export has the template's columns, in its order.
    exported = openpyxl.load_workbook(os.path.join(tmp, "export.xlsx")).worksheets[0]
    assert [c.value for c in exported[1]] == header
