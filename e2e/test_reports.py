"""Reports: choose a period and format on the reports page, preview it, and move through the slides with the arrow keys."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait


def visible_slides(browser):
    return [s.get_attribute("id") for s in browser.find_elements(By.CSS_SELECTOR, "section.slide") if s.is_displayed()]


def test_slides_open_and_the_arrow_key_moves_to_the_second_slide(server, browser):
    browser.get(server + "/reports")
    Select(browser.find_element(By.ID, "r-format")).select_by_value("slides")
    browser.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    frame = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "report-preview"))
    src = frame.get_attribute("src")
    assert "/reports/view?" in src and "format=slides" in src
    browser.get(src)
    WebDriverWait(browser, 10).until(lambda b: visible_slides(b) == ["slide-1"])
    assert "Customer learning: Week" in browser.find_element(By.ID, "slide-1").text
    total = len(browser.find_elements(By.CSS_SELECTOR, "section.slide"))
    assert total >= 3
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(browser, 5).until(lambda b: visible_slides(b) == ["slide-2"])
    assert browser.execute_script("return location.hash") == "#2"
    assert "Conversations" in browser.find_element(By.ID, "slide-2").text
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    WebDriverWait(browser, 5).until(lambda b: visible_slides(b) == ["slide-1"])
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    WebDriverWait(browser, 5).until(lambda b: visible_slides(b) == [f"slide-{total}"])


def test_markdown_preview_is_anonymised_and_names_only_when_asked(server, browser):
    with urllib.request.urlopen(server + "/api/v1/people?limit=100") as response:
        people = json.load(response)
    names = [p["name"] for p in (people["people"] if isinstance(people, dict) else people)]
    assert names
    browser.get(server + "/reports")
    browser.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    text = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "report-text")).text
    assert text.startswith("# Customer learning: Week") and "**Anonymised**" in text
    assert not [n for n in names if n in text]
    browser.find_element(By.NAME, "names").click()
    browser.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    # Wait for the new page (the old preview goes stale when the form is sent), then read it.
    WebDriverWait(browser, 10).until(lambda b: "names=1" in b.current_url)
    text = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "report-text")).text
    assert "Names included" in text
    assert [n for n in names if n in text]


def test_reports_page_fits_a_phone(server, phone):
    phone.get(server + "/reports?period=week&format=markdown")
    overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the reports page scrolls sideways by {overflow}px"
