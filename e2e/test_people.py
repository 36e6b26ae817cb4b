"""A person added through the form can be found by search and opened, as a PM would do it."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def test_add_person_find_by_search_and_open(server, browser):
    browser.get(server + "/people/new")
    browser.find_element(By.ID, "f-name").send_keys("Quinn Zephyrine")
    browser.find_element(By.ID, "f-email").send_keys("quinn@zephyr.example")
    browser.find_element(By.ID, "f-company").send_keys("Zephyr Mills")
    browser.find_element(By.ID, "f-city").send_keys("Lisbon")
    browser.find_element(By.CSS_SELECTOR, "input[name=personas][value='Ops Lead']").click()
    browser.find_element(By.ID, "f-notes").send_keys("Runs the **night shift**; wants exports before 6am.")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    WebDriverWait(browser, 10).until(EC.title_contains("Quinn Zephyrine"))
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "time zone Europe/Lisbon inferred from the city Lisbon" in page
    assert "Zephyr Mills" in page
    assert browser.find_element(By.CSS_SELECTOR, ".notes strong").text == "night shift"

    browser.get(server + "/people")
    search = browser.find_element(By.ID, "q")
    search.send_keys("zephyr")
    search.submit()
    WebDriverWait(browser, 10).until(EC.url_contains("q=zephyr"))
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 1
    rows[0].find_element(By.LINK_TEXT, "Quinn Zephyrine").click()
    WebDriverWait(browser, 10).until(EC.title_contains("Quinn Zephyrine"))
    assert "quinn@zephyr.example" in browser.find_element(By.TAG_NAME, "main").text


def test_invalid_email_is_explained_next_to_the_field_and_typing_is_kept(server, browser):
    browser.get(server + "/people/new")
    browser.find_element(By.ID, "f-name").send_keys("Robin Typo")
    browser.find_element(By.ID, "f-email").send_keys("robin-at-example")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    error = browser.find_element(By.ID, "e-email")
    assert "is not an email address" in error.text
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "Robin Typo"
    assert browser.find_element(By.ID, "f-email").get_attribute("value") == "robin-at-example"
    browser.get(server + "/people?q=robin")
    assert "Nobody matches" in browser.find_element(By.TAG_NAME, "main").text


def test_persona_page_suggests_whom_to_ask(server, browser):
    browser.get(server + "/personas")
    browser.find_element(By.LINK_TEXT, "Ops Lead").click()
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Who should I ask?" in main
    assert len(browser.find_elements(By.CSS_SELECTOR, "main ol > li")) == 3


def test_people_list_fits_a_phone_without_horizontal_scroll(server, phone):
    for path in ("/people", "/people/1", "/people/new", "/personas", "/personas/1"):
        phone.get(server + path)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
