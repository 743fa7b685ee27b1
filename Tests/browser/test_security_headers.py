"""The pages work under their content security policy: no script, styles only from our stylesheet, no framing."""
import urllib.request

from selenium.webdriver.common.by import By


def csp_complaints(browser):
    return [e["message"] for e in browser.get_log("browser")
            if "Content Security Policy" in e["message"] or "Refused to" in e["message"]]


def test_pages_work_and_nothing_is_refused_under_the_policy(server, browser):
    browser.get_log("browser")  # start from a clean console
    for path in ["/", "/projects", "/progress", "/review", "/ledgers", "/ledgers/labour", "/meetings", "/tasks",
                 "/regions/520500", "/tokens", "/documents", "/assessments", "/admin/users"]:
        browser.get(server + path)
        assert browser.find_elements(By.ID, "me"), path
        # The stylesheet applied: the header's navigation is laid out by app.css, not as a bare list.
        assert browser.find_element(By.TAG_NAME, "body").value_of_css_property("margin") != "8px", path
    browser.get(server + "/")
    check = browser.find_elements(By.CSS_SELECTOR, "input.check")
    assert check and check[0].value_of_css_property("min-width") == "0px"
    assert csp_complaints(browser) == []


def test_every_page_carries_the_headers(server):
    for path in ["/login", "/health", "/static/app.css"]:
        with urllib.request.urlopen(server + path) as r:
            h = r.headers
            assert h["X-Content-Type-Options"] == "nosniff", path
            assert h["X-Frame-Options"] == "DENY", path
            assert h["Referrer-Policy"] == "same-origin", path
            csp = h["Content-Security-Policy"]
            assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
