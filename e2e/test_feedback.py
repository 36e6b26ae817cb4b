"""Feedback from a conversation, tagged with a theme and linked to a request, changes that request's evidence."""
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


def test_feedback_from_a_conversation_becomes_request_evidence(server, browser):
    request = api(server, "POST", "/api/v1/requests", {"title": "E2E scheduled exports", "problem": "Mondays start by hand"})
    assert request["distinctPeople"] == 0
    conversation = api(server, "GET", "/api/v1/conversations?limit=1")["conversations"][0]

    # Add feedback on the conversation page.
    browser.get(server + "/conversations/%d" % conversation["id"])
    Select(browser.find_element(By.ID, "fb-kind")).select_by_value("request")
    browser.find_element(By.ID, "fb-text").send_keys("E2E: please schedule the Monday export")
    browser.find_element(By.XPATH, "//button[normalize-space()='Add feedback']").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "feedback"), "Feedback heard"))
    assert "E2E: please schedule the Monday export" in browser.page_source
    mine = [f for f in api(server, "GET", "/api/v1/feedback?conversation=%d" % conversation["id"])["feedback"]
            if f["text"] == "E2E: please schedule the Monday export"]
    assert len(mine) == 1
    feedback_id = mine[0]["id"]

    # Tag it with a theme in the inbox, then link it to the request.
    browser.get(server + "/feedback?kind=request")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=ids][value='%d']" % feedback_id)
    box.click()
    browser.find_element(By.ID, "b-theme").send_keys("E2E exports")
    browser.find_element(By.XPATH, "//button[normalize-space()='Tag']").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "Tagged 1 with E2E exports"))
    assert "E2E exports" in api(server, "GET", "/api/v1/feedback/%d" % feedback_id)["themes"]

    browser.find_element(By.CSS_SELECTOR, "input[name=ids][value='%d']" % feedback_id).click()
    Select(browser.find_element(By.ID, "b-request")).select_by_value(str(request["id"]))
    browser.find_element(By.XPATH, "//button[normalize-space()='Link']").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "Linked 1 to request #%d" % request["id"]))

    # The request's evidence count changed, on its page and in the API.
    browser.get(server + "/requests/%d" % request["id"])
    evidence = browser.find_element(By.ID, "evidence").text
    assert "Mentions\n1" in evidence or "Mentions 1" in evidence
    after = api(server, "GET", "/api/v1/requests/%d" % request["id"])
    assert after["distinctPeople"] == 1 and after["evidence"]["mentions"] == 1
    assert after["feedback"][0]["id"] == feedback_id
    theme = api(server, "GET", "/api/v1/themes/E2E%20exports")
    assert theme["summary"]["count"] == 1


def test_learning_pages_fit_a_phone_without_horizontal_scroll(server, phone):
    for path in ("/feedback", "/themes", "/requests", "/requests/1", "/hypotheses", "/hypotheses/1", "/questions", "/guides", "/guides/1", "/goals"):
        phone.get(server + path)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
