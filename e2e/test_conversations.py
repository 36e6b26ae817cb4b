"""Logging a conversation from a person's page shows on their timeline and changes what is due."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def overdue_names(browser):
    tables = browser.find_elements(By.XPATH, "//h2[starts-with(normalize-space(), 'Overdue')]/following-sibling::div[1]//tbody/tr/td[1]/a")
    return [link.text for link in tables]


def test_log_from_person_page_shows_on_timeline_and_in_due(server, browser):
    browser.get(server + "/due")
    first = browser.find_element(By.XPATH, "//h2[starts-with(normalize-space(), 'Overdue')]/following-sibling::div[1]//tbody/tr[1]/td[1]/a")
    name = first.text
    assert name in overdue_names(browser)
    first.click()
    WebDriverWait(browser, 10).until(EC.title_contains(name))

    browser.find_element(By.CSS_SELECTOR, "details#log > summary").click()
    Select(browser.find_element(By.ID, "c-kind")).select_by_value("video")
    browser.find_element(By.ID, "c-duration").send_keys("25")
    browser.find_element(By.ID, "c-objective").send_keys("Learn how the nightly export is used")
    browser.find_element(By.ID, "c-notes").send_keys("They run the **nightly export** by hand at 23:00.")
    browser.find_element(By.ID, "c-followup").send_keys("Send the nightly export sample")
    browser.find_element(By.ID, "c-due").send_keys("today")
    browser.find_element(By.CSS_SELECTOR, "details#log button[type=submit]").click()

    WebDriverWait(browser, 10).until(EC.url_contains("#timeline"))
    timeline = browser.find_element(By.CSS_SELECTOR, "ul.timeline").text
    assert f"Video with {name}" in timeline
    assert "Objective: Learn how the nightly export is used" in timeline
    assert "They run the **nightly export** by hand" in timeline
    status = browser.find_element(By.CSS_SELECTOR, ".status").text
    assert "(today)" in status

    browser.find_element(By.PARTIAL_LINK_TEXT, f"Video with {name}").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Video with"))
    assert browser.find_element(By.CSS_SELECTOR, ".notes strong").text == "nightly export"

    browser.get(server + "/due")
    assert name not in overdue_names(browser)
    followups = browser.find_element(By.CSS_SELECTOR, "ul.followups").text
    assert "Send the nightly export sample" in followups
    assert "(today)" in followups


def test_mistyped_date_is_explained_and_what_was_typed_is_kept(server, browser):
    browser.get(server + "/log")
    browser.find_element(By.ID, "c-people").send_keys("Dana Kim")
    browser.find_element(By.ID, "c-when").send_keys("next blursday")
    browser.find_element(By.ID, "c-notes").send_keys("Kept notes")
    # Enter logs the conversation: the form's default button is "Log conversation", not "Run this guide".
    browser.find_element(By.ID, "c-when").send_keys(Keys.ENTER)
    error = browser.find_element(By.ID, "c-when-error")
    assert "is not a date I can read" in error.text
    assert browser.find_element(By.ID, "c-when").get_attribute("value") == "next blursday"
    assert browser.find_element(By.ID, "c-notes").get_attribute("value") == "Kept notes"


def test_new_pages_fit_a_phone_without_horizontal_scroll(server, phone):
    for path in ("/due", "/log", "/conversations", "/conversations/1", "/conversations/1/edit", "/settings"):
        phone.get(server + path)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
