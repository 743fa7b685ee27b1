"""Document intake as an office uses it: paste the garbled report, check the repair, save, find, link."""
import os
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "seed", "seed-article.txt")


def test_paste_repair_save_search_and_link_the_seed_article(server, browser):
    if not os.path.exists(SEED):
        pytest.skip("the shared seed article is not beside this checkout")
    garbled = open(SEED, encoding="utf-8").read()
    browser.get(server + "/documents")
    browser.find_element(By.ID, "new-document").click()
    browser.find_element(By.NAME, "title").send_keys("粤黔东西部协作联席会议报道")
    browser.find_element(By.NAME, "source").send_keys("佛山日报")
    browser.find_element(By.NAME, "publishedOn").send_keys("2024-06-05")
    # Paste: set the field as a clipboard paste would, in one go.
    area = browser.find_element(By.NAME, "text")
    browser.execute_script("arguments[0].value = arguments[1];", area, garbled)
    browser.find_element(By.CSS_SELECTOR, "#document-form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "repaired-text"))

    # Side by side: the annotations are struck out on the left, the repair marked on the right.
    assert browser.find_elements(By.CSS_SELECTOR, "#original-text del.pinyin")
    assert browser.find_elements(By.CSS_SELECTOR, "#repaired-text ins.scar")
    repaired = browser.find_element(By.ID, "repaired-text").text
    assert "两省在广州召开粤黔东西部协作联席会议" in repaired
    assert "(" not in repaired
    people = browser.find_element(By.ID, "people-mentioned").text
    assert "黄坤明" in people and "徐麟" in people and "李炳军" in people
    assert "季华实验室" in browser.find_element(By.ID, "organisations-mentioned").text
    browser.find_element(By.CSS_SELECTOR, "#save-document button").click()
    # The preview's own address (/documents/upload) also holds "/documents/": wait for the saved document's page.
    WebDriverWait(browser, 20).until(lambda b: re.search(r"/documents/\d+$", b.current_url))
    doc_url = browser.current_url

    # Found by full-text search.
    browser.get(server + "/documents?q=联席会议")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#document-table tbody a")]
    assert "粤黔东西部协作联席会议报道" in titles

    # Suggested for the 2024-06-04 joint conference, and linked to it.
    browser.get(doc_url)
    suggestion = browser.find_element(By.CSS_SELECTOR, "form.suggestion")
    assert "2024年粤黔东西部协作联席会议" in suggestion.text and "2024-06-04" in suggestion.text
    suggestion.find_element(By.CSS_SELECTOR, "button.link-meeting").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "linked-meeting"))
    assert "2024年粤黔东西部协作联席会议" in browser.find_element(By.ID, "linked-meeting").text
