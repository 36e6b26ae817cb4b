"""Real names in every script, duplicates caught in the form, business hours kept by the form, calendar files by
RFC 5545 (parsed with Python's icalendar, and checked byte by byte)."""
import json
import os
import subprocess
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import icalendar
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BINARY, ROOT

NAMES = json.load(open(os.path.join(ROOT, "Tests", "Fixtures", "names.json"), encoding="utf-8"))


def api(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if response.headers.get("Content-Type", "").startswith("application/json") else raw)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_name_typed_decomposed_is_found_from_the_search_box_in_any_form(server, browser):
    name = "Zoë Brännström"
    status, person = api(server, "POST", "/api/v1/people", {"name": unicodedata.normalize("NFD", name)})
    assert status == 201 and person["name"] == unicodedata.normalize("NFC", name)
    for typed in ("brannstrom", "BRÄNNSTRÖM", unicodedata.normalize("NFD", "Brännström")):
        browser.get(server + "/people")
        box = browser.find_element(By.ID, "q")
        box.send_keys(typed)
        box.submit()
        WebDriverWait(browser, 10).until(EC.url_contains("q="))
        links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]
        assert unicodedata.normalize("NFC", name) in links, typed


def test_every_fixture_name_is_found_by_its_part_through_the_api(server):
    for row in NAMES[:12]:
        status, created = api(server, "POST", "/api/v1/people", {"name": row["name"], "allowDuplicate": True})
        assert status == 201, created
        status, found = api(server, "GET", "/api/v1/people?q=" + urllib.parse.quote(row["part"]))
        assert created["id"] in [p["id"] for p in found["people"]], row["name"]


def test_the_form_stops_a_duplicate_and_adds_it_anyway_when_asked(server, browser):
    api(server, "POST", "/api/v1/people", {"name": "Ingrid Øvergård", "company": "Fjord Freight", "allowDuplicate": True})
    browser.get(server + "/people/new")
    browser.find_element(By.ID, "f-name").send_keys("INGRID OVERGARD")
    browser.find_element(By.ID, "f-title").send_keys("Planner")
    browser.find_element(By.ID, "f-name").send_keys(Keys.ENTER)
    alert = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "duplicate")))
    assert "Ingrid Øvergård" in alert.text and "is already in your circle (same name)" in alert.text
    assert browser.find_element(By.ID, "f-title").get_attribute("value") == "Planner"
    assert alert.find_element(By.PARTIAL_LINK_TEXT, "Open Ingrid").get_attribute("href").rsplit("/", 1)[1].isdigit()
    browser.find_element(By.CSS_SELECTOR, "button[name=allowDuplicate]").click()
    WebDriverWait(browser, 10).until(EC.title_contains("INGRID OVERGARD"))
    browser.get(server + "/people/duplicates")
    assert "Ingrid Øvergård" in browser.find_element(By.TAG_NAME, "main").text


def test_saving_the_edit_form_keeps_business_hours_and_can_change_them(server, browser):
    status, lee = api(server, "POST", "/api/v1/people", {"name": "Lee Hours", "timeZone": "America/New_York", "hours": "08:00-16:00"})
    assert status == 201 and lee["hours"] == "08:00-16:00"
    browser.get(server + "/people/%d/edit" % lee["id"])
    title = browser.find_element(By.ID, "f-title")
    title.send_keys("Buyer", Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains("Lee Hours"))
    assert api(server, "GET", "/api/v1/people/%d" % lee["id"])[1]["hours"] == "08:00-16:00"
    browser.get(server + "/people/%d/edit" % lee["id"])
    hours = browser.find_element(By.ID, "f-hours")
    hours.clear()
    hours.send_keys("10:00-14:00", Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains("Lee Hours"))
    person = api(server, "GET", "/api/v1/people/%d" % lee["id"])[1]
    assert person["hours"] == "10:00-14:00" and person["title"] == "Buyer"


def assert_rfc5545(raw):
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert events and all(e.get("DTSTART") and e.get("UID") and e.get("SUMMARY") for e in events)
    return events


def test_the_call_plan_downloads_as_a_calendar_by_the_book(server):
    status, raw = api(server, "GET", "/api/v1/plan?date=next+monday&from=00:00&to=24:00&format=ics")
    assert status == 200
    assert_rfc5545(raw)
    status, problem = api(server, "GET", "/api/v1/plan?date=next+saturday&format=ics")
    assert status == 409 and "no calendar to write" in problem["detail"]


def test_the_cli_writes_the_same_calendar_bytes_and_refuses_an_empty_one():
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "demo.sqlite")
        subprocess.run([BINARY, "demo", "--db", db], check=True, capture_output=True)
        done = subprocess.run([BINARY, "plan", "--date", "next monday", "--from", "00:00", "--to", "24:00", "--format", "ics", "--db", db],
                              capture_output=True, check=True)
        events = assert_rfc5545(done.stdout)
        assert len(events) >= 1
        empty = subprocess.run([BINARY, "plan", "--date", "next saturday", "--format", "ics", "--db", db], capture_output=True)
        assert empty.returncode == 1 and empty.stdout == b"" and b"no calendar to write" in empty.stderr
