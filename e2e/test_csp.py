"""The pages live within their Content-Security-Policy: no inline style or script is refused by Chromium on any
page (a refused style would be a page drawn wrong; the policy allows none since issue 16)."""
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PAGES = ["/", "/goals", "/people", "/people/1", "/people/1/edit", "/people/new", "/personas", "/due", "/plan", "/log",
         "/campaigns", "/questions", "/guides", "/feedback", "/themes", "/requests", "/hypotheses", "/companies",
         "/reports?period=month", "/settings", "/import", "/export", "/conversations", "/funnel"]


def test_no_page_breaks_its_content_security_policy(server):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    try:
        refused = []
        for page in PAGES:
            driver.get(server + page)
            for entry in driver.get_log("browser"):
                if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]:
                    refused.append(f"{page}: {entry['message'][:200]}")
            styled = driver.execute_script(
                "return getComputedStyle(document.querySelector('.shell') || document.body).display")
            assert styled == "flex" or page.startswith("/reports"), f"{page}: the stylesheet did not apply ({styled})"
        assert refused == [], "\n".join(refused[:10])
    finally:
        driver.quit()
