"""A ledger as offices use it in the browser: Nayong's office uploads its labour sheet, sees the preview and imports
it; Bijie's officer approves the rows; on the dashboard the labour figure rises by exactly those workers, and
following the figure opens the list of the rows behind it, whose count is the figure."""
import os
import re
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import labour_id, replaced, sign_in, submit

def id_number(n):
    return labour_id("5205251992071", n)


def dashboard_figure(browser, server, code):
    browser.get(server + "/?year=2024")
    link = browser.find_element(By.CSS_SELECTOR, f"a[data-indicator={code}]")
    return int(link.text.replace(",", "")), link


def test_upload_preview_import_approve_and_follow_the_dashboard_figure(server, browser):
    before, _ = dashboard_figure(browser, server, "workers_placed")

    sheet = os.path.join(tempfile.mkdtemp(), "纳雍劳务.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write("2024年纳雍县劳务协作台账\n姓名,身份证号,户籍县,是否脱贫人口,用工单位,务工地,入职时间\n")
        for i in range(1, 4):
            f.write(f"浏览器工人{i},{id_number(i)},纳雍县,是,佛山浏览器测试厂,佛山市,2024年8月{i}日\n")
    sign_in(browser, server, "nayong.reporter")
    browser.get(server + "/ledgers/labour")
    form = browser.find_element(By.ID, "import-form")
    form.find_element(By.NAME, "file").send_keys(sheet)
    submit(browser, form)
    counts = browser.find_element(By.ID, "import-counts")
    assert counts.find_element(By.CSS_SELECTOR, "[data-n=added]").text == "3"
    assert counts.find_element(By.CSS_SELECTOR, "[data-n=rejected]").text == "0"
    # The preview masks ID numbers and writes nothing yet.
    assert id_number(1) not in browser.page_source
    submit(browser, browser.find_element(By.ID, "commit-form"))
    assert "已导入" in browser.find_element(By.ID, "import-done").text

    sign_in(browser, server, "bijie.officer")
    browser.get(server + "/ledgers/labour?state=submitted&region=520525")
    assert "浏览器工人1" in browser.find_element(By.ID, "ledger-rows").text
    submit(browser, browser.find_element(By.ID, "approve-shown"))
    # Asked once, with the count.
    assert browser.find_element(By.ID, "confirm-message").get_attribute("data-count") == "3"
    submit(browser, browser.find_element(By.ID, "confirm-form"))

    sign_in(browser, server)
    after, link = dashboard_figure(browser, server, "workers_placed")
    assert after - before == 3
    link.click()
    WebDriverWait(browser, 10).until(lambda d: "/ledgers/labour" in d.current_url)
    total = int(re.search(r"共 (\d+) 条", browser.find_element(By.ID, "ledger-total").text).group(1))
    assert total == after
    states = {a.get_attribute("data-state") for a in browser.find_elements(By.CSS_SELECTOR, "#ledger-rows a[data-state]")}
    assert states == {"approved"}
    # The new workers are among those rows.
    browser.get(browser.current_url + "&q=浏览器工人")
    assert "共 3 条" in browser.find_element(By.ID, "ledger-total").text


def upload(browser, server, ledger, path):
    browser.get(server + f"/ledgers/{ledger}")
    form = browser.find_element(By.ID, "import-form")
    form.find_element(By.NAME, "file").send_keys(path)
    submit(browser, form)


def column_how(browser, header):
    """How the preview says a header column was taken (label, synonym, mapped, remembered, none)."""
    for row in browser.find_elements(By.CSS_SELECTOR, "#import-columns tbody tr"):
        if row.find_elements(By.TAG_NAME, "td")[1].text == header:
            return row.get_attribute("data-how")
    raise AssertionError(f"{header} is not among the preview's columns")


def office_workbook(path, first, count):
    """A workbook as an office sends it: a notes sheet first, then the ledger, whose employer column has a header no
    synonym knows, and a remarks column that feeds nothing."""
    import openpyxl
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["本表由县人社局每月报送，请勿改动表头。"])
    ws = wb.create_sheet("劳务台账")
    ws.append(["序号", "姓名", "身份证号", "户籍县", "打工企业全称", "务工地", "入职时间", "备注"])
    for i in range(first, first + count):
        ws.append([i, f"映射工人{i}", id_number(i), "纳雍县", "佛山映射测试厂", "佛山市", f"2024-09-{i % 28 + 1:02d}", "已签合同"])
    wb.save(path)


def test_an_unknown_header_is_asked_once_per_office_and_remembered(server, browser):
    tmp = tempfile.mkdtemp()
    first = os.path.join(tmp, "纳雍九月.xlsx")
    office_workbook(first, 101, 2)
    sign_in(browser, server, "nayong.reporter")
    upload(browser, server, "labour", first)
    # The ledger sheet was chosen (the notes sheet maps nothing), and the missing field is a question, not a refusal.
    assert browser.find_element(By.CSS_SELECTOR, "#sheet-choice option[selected]").text == "劳务台账"
    assert "就业单位" in browser.find_element(By.ID, "import-missing").text
    assert not browser.find_elements(By.ID, "commit-form")
    assert column_how(browser, "打工企业全称") == "none" and column_how(browser, "备注") == "none"
    assert column_how(browser, "姓名") == "label" and column_how(browser, "务工地") == "synonym"
    # The office picks the column; the preview then counts the rows and says which columns stay behind.
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "field_employer")).select_by_visible_text("E 打工企业全称")
    submit(browser, browser.find_element(By.ID, "map-form"))
    assert column_how(browser, "打工企业全称") == "mapped"
    counts = browser.find_element(By.ID, "import-counts")
    assert counts.find_element(By.CSS_SELECTOR, "[data-n=added]").text == "2"
    assert "备注" in browser.find_element(By.ID, "import-ignored").text
    submit(browser, browser.find_element(By.ID, "commit-form"))
    assert "已导入" in browser.find_element(By.ID, "import-done").text

    # The office's next sheet of this ledger: the mapping is offered at once.
    second = os.path.join(tmp, "纳雍十月.xlsx")
    office_workbook(second, 103, 3)
    upload(browser, server, "labour", second)
    assert not browser.find_elements(By.ID, "import-missing")
    assert column_how(browser, "打工企业全称") == "remembered"
    assert browser.find_element(By.CSS_SELECTOR, "#import-counts [data-n=added]").text == "3"
    submit(browser, browser.find_element(By.ID, "commit-form"))
    assert "已导入" in browser.find_element(By.ID, "import-done").text

    # Another office has not answered the question: it is asked there.
    sign_in(browser, server, "bijie.officer")
    upload(browser, server, "labour", second)
    assert "就业单位" in browser.find_element(By.ID, "import-missing").text
