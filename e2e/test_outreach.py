"""The call plan page logs an outcome in one click; campaign emails parse back as real RFC 5322 messages."""
import email
import email.policy
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def api(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
        return raw if not response.headers.get("Content-Type", "").startswith("application/json") else json.loads(raw)


def test_log_an_outcome_from_the_call_plan(server, browser):
    # A whole weekday, so the plan has calls whatever day and hour the suite runs.
    browser.get(server + "/plan?date=next+monday&from=00:00&to=24:00")
    row = browser.find_element(By.CSS_SELECTOR, "table#calls tbody tr")
    person = row.get_attribute("data-person")
    name = row.find_element(By.CSS_SELECTOR, "td:nth-child(4) a").text
    before = api(server, "GET", "/api/v1/attempts?person=" + person)["count"]
    row.find_element(By.CSS_SELECTOR, "button[value='no-answer']").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "Logged no answer for " + name))
    assert "logged=" in browser.current_url
    attempts = api(server, "GET", "/api/v1/attempts?person=" + person)
    assert attempts["count"] == before + 1
    assert attempts["attempts"][0]["outcome"] == "no-answer"
    funnel = api(server, "GET", "/api/v1/funnel")
    assert funnel["totals"]["attempts"] >= 1


def test_campaign_email_parses_as_rfc5322(server):
    api(server, "PATCH", "/api/v1/settings", {"sender.email": "pat@example.com", "sender.name": "Pät Lee"})
    campaign = api(server, "POST", "/api/v1/campaigns", {
        "name": "E2E exports", "ask": "a 20-minute call", "weekly": 5, "cooldownDays": 0,
        "subject": "{{first_name}}, 20 Minuten über Exporte?", "body": "Hi {{first_name}},\n\nwürden Sie {{ask}} für {{company}} einplanen?\n\n{{sender}}",
    })
    batch = api(server, "POST", "/api/v1/campaigns/%d/batch" % campaign["id"], {})
    assert 1 <= len(batch["recipients"]) <= 5
    companies = [r["company"] for r in batch["recipients"]]
    assert all(companies.count(c) <= 2 for c in set(companies) if c)
    again = api(server, "POST", "/api/v1/campaigns/%d/batch" % campaign["id"], {})
    assert again["existing"] and [r["person"]["id"] for r in again["recipients"]] == [r["person"]["id"] for r in batch["recipients"]]
    first = batch["recipients"][0]
    raw = api(server, "GET", "/api/v1/campaigns/%d/export?format=eml&person=%d" % (campaign["id"], first["person"]["id"]))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert not message.defects
    assert message["To"].addresses[0].addr_spec == first["email"]
    assert message["To"].addresses[0].display_name == first["person"]["name"]
    assert message["From"].addresses[0].display_name == "Pät Lee"
    assert str(message["Subject"]) == first["subject"] and "Minuten über Exporte" in str(message["Subject"])
    assert message.get_content_charset() == "utf-8"
    assert "würden Sie a 20-minute call" in message.get_content()
    mbox = api(server, "GET", "/api/v1/campaigns/%d/export?format=mbox" % campaign["id"])
    assert mbox.count(b"\nFrom pat@example.com ") + mbox.startswith(b"From pat@example.com ") == len(batch["recipients"])
