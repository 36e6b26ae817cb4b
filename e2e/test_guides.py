"""A PM writes a guide, the lint catches a yes/no question as they type, and a guide run lands on the conversation."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def api(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_lint_shows_inline_as_you_type(server, browser):
    browser.get(server + "/questions")
    box = browser.find_element(By.ID, "q-text")
    box.send_keys("Do you export reports every week?")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "lint-output"), "closed"))
    output = browser.find_element(By.ID, "lint-output").text
    assert "Consider: How do you export reports every week?" in output
    box.clear()
    box.send_keys("How do you decide which report to run first?")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "lint-output"), "Looks open"))


def test_run_a_guide_during_a_logged_conversation(server, browser):
    person = api(server, "GET", "/api/v1/people?limit=1")["people"][0]
    browser.get(server + "/guides")
    browser.find_element(By.ID, "g-name").send_keys("E2E onboarding")
    browser.find_element(By.ID, "g-objective").send_keys("Find what slows the first report")
    browser.find_element(By.CSS_SELECTOR, "form[action='/guides'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "E2E onboarding"))
    for text in ("What sold you on {{product}}?", "What is the hardest part about being a {{role}}?"):
        Select(browser.find_element(By.ID, "g-question")).select_by_visible_text(text)
        button = browser.find_element(By.XPATH, "//button[normalize-space()='Add to the guide']")
        button.click()
        WebDriverWait(browser, 10).until(EC.staleness_of(button))
    # Put the role question first with its Up button.
    up = browser.find_element(By.CSS_SELECTOR, "button[aria-label='Move question 2 up']")
    up.click()
    WebDriverWait(browser, 10).until(EC.staleness_of(up))
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "ol.guide .q")[0].text.startswith("1. What is the hardest part"))

    Select(browser.find_element(By.ID, "g-for")).select_by_value(str(person["id"]))
    preview = browser.find_element(By.XPATH, "//button[normalize-space()='Preview']")
    preview.click()
    # Wait for the previewed page: the old page has a "Run this guide" link too, without the person.
    WebDriverWait(browser, 10).until(EC.staleness_of(preview))
    WebDriverWait(browser, 10).until(lambda d: "for=" in d.current_url)
    browser.find_element(By.LINK_TEXT, "Run this guide").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "answer-1")))
    run = browser.find_element(By.CSS_SELECTOR, "section.guide-run").text
    assert "Objective: Find what slows the first report" in run
    assert "{{" not in run
    browser.find_element(By.ID, "answer-1").send_keys("Chasing three tools before Monday's meeting")
    browser.find_element(By.ID, "answer-2").send_keys("The export to the warehouse system")
    browser.find_element(By.ID, "c-notes").send_keys("Ran the E2E guide.")
    browser.find_element(By.XPATH, "//p/button[normalize-space()='Log conversation']").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "answers")))
    assert "Guide: E2E onboarding" in browser.find_element(By.ID, "answers").text
    answers = browser.find_element(By.CSS_SELECTOR, "dl.answers").text
    assert "1. What is the hardest part about being" in answers
    assert "Chasing three tools before Monday's meeting" in answers
    assert "The export to the warehouse system" in answers

    # Correct an answer on the answers page: it saves as you type, with no button.
    browser.find_element(By.LINK_TEXT, "Edit answers").click()
    box = browser.find_element(By.ID, "answer-2")
    box.send_keys(" and the API")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "answer-2-saved"), "Saved"))
    conversation_id = int(browser.current_url.rstrip("/").split("/")[-2])
    stored = api(server, "GET", "/api/v1/conversations/%d" % conversation_id)
    assert stored["guide"]["name"] == "E2E onboarding"
    assert [a["answer"] for a in stored["answers"]] == [
        "Chasing three tools before Monday's meeting", "The export to the warehouse system and the API"], stored["answers"]
