"""Import and export as a user meets them: the Import page in a browser, the Export page's feed parsed by Python's
icalendar, vCard read by vobject, and backups opened by a real age implementation (pyrage) both ways."""
import json
import time
import os
import subprocess
import tempfile
import urllib.request

import icalendar
import pyrage
import vobject
from selenium.webdriver.common.by import By

from conftest import BINARY

GOOGLE_CSV = (
    "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Plan\n"
    "Ilse Vandersteen,Ilse,Vandersteen,* Work,ilse@brugge-logistics.example ::: ilse.v@mail.example,Mobile,+32 50 44 87 11,Brugge Logistics,Gold\n"
    ",,,,,Mobile,+32 50 44 87 12,,\n"
    ",,,,,,,,Silver\n"
)


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers), response.read()


def rapport(*args, db, passphrase=None):
    env = dict(os.environ, RAPPORT_DB=db)
    env.pop("RAPPORT_DATABASE_URL", None)
    if passphrase:
        env["RAPPORT_PASSPHRASE"] = passphrase
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=env, timeout=120)


def main_text_once(browser, expected, timeout=15):
    """The page's <main> text once it holds `expected` (the next page has loaded), read again if the old page's
    element went stale under us; the last text read when it never does, for the assertion to show."""
    from selenium.common.exceptions import StaleElementReferenceException
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        try:
            text = browser.find_element(By.TAG_NAME, "main").text
            if expected in text:
                return text
        except StaleElementReferenceException:
            pass
        time.sleep(0.1)
    return text


def test_the_import_page_previews_a_google_export_then_imports_it(server, browser, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(GOOGLE_CSV, encoding="utf-8")
    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "Import & export").click()
    assert browser.current_url.endswith("/import")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.XPATH, "//button[text()='Upload and preview']").click()
    body = main_text_once(browser, "looks like a Google Contacts export")
    assert "looks like a Google Contacts export" in body
    assert "Would create 2, update 0, skip 1." in body
    assert "no name, email or phone to know them by" in body
    assert "Ilse Vandersteen" in body
    # Tag everyone, keep the Plan column as a custom field, then import.
    browser.find_element(By.ID, "tags").send_keys("imported-e2e")
    browser.find_element(By.XPATH, "//button[@value='import']").click()
    assert "Created 2, updated 0, skipped 1." in main_text_once(browser, "Created 2")
    browser.find_element(By.LINK_TEXT, "Ilse Vandersteen").click()
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "ilse@brugge-logistics.example" in page and "ilse.v@mail.example" in page and "imported-e2e" in page
    _, _, raw = fetch(server + "/api/v1/people?q=" + urllib.request.quote("Vandersteen"))
    person = json.loads(raw)["people"][0]
    assert person["fields"] == {"Plan": "Gold"} and person["emails"][0]["label"] == "work"


def test_the_api_takes_an_upload_with_its_header_and_a_dry_run_writes_nothing(server):
    boundary = "e2e-boundary-7d1f"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\r\n"
            "Email;Name;Firma\r\nanke@beispiel.example;Anke Brandt;\"Müller; Söhne\"\r\n"
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r\n--{boundary}--\r\n").encode()
    status, _, raw = fetch(server + "/api/v1/imports", body,
                           {"Content-Type": f"multipart/form-data; boundary={boundary}", "Rapport-Upload": "1"})
    result = json.loads(raw)
    assert status == 200 and result["layout"]["delimiter"] == ";" and result["summary"]["dryRun"] is True
    assert [c["person"]["name"] for c in result["summary"]["created"]] == ["Anke Brandt"]
    _, _, raw = fetch(server + "/api/v1/people?q=Brandt")
    assert json.loads(raw)["count"] == 0


def test_the_feed_on_the_export_page_parses_as_icalendar_with_reminders(server, browser):
    browser.get(server + "/export")
    url = browser.find_element(By.ID, "feed").get_attribute("value")
    assert url.startswith(server + "/calendar/") and url.endswith(".ics")
    browser.find_element(By.CSS_SELECTOR, "button[data-copy='feed']").click()
    status, headers, raw = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")) and raw.endswith(b"\r\n")
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk("VEVENT")]
    assert events, "the demo circle has open follow-ups"
    follow_ups = [e for e in events if str(e["UID"]).startswith("rapport-followup-")]
    assert follow_ups and all(e.walk("VALARM") for e in follow_ups)
    assert all("DTSTAMP" in e and "DTSTART" in e for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    _, _, again = fetch(url)
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")] == [str(e["UID"]) for e in events]


def test_vcard_export_reads_in_vobject_with_escaped_companies_and_stable_uids(server):
    person = {"name": "Élodie Marchand", "company": "Dupont, Fils & Cie", "title": "Acheteuse; EMEA", "birthday": "--04-15",
              "emails": [{"value": "elodie@dupont-fils.example", "label": "work"}]}
    request = urllib.request.Request(server + "/api/v1/people", data=json.dumps(person).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
    for version in ("4.0", "3.0"):
        _, headers, raw = fetch(server + f"/api/v1/export?format=vcard&version={version}")
        assert headers["Content-Type"].startswith("text/vcard")
        cards = list(vobject.readComponents(raw.decode("utf-8")))
        assert len(cards) > 60
        elodie = next(c for c in cards if c.fn.value == "Élodie Marchand")
        assert elodie.org.value[0] == "Dupont, Fils & Cie" and elodie.title.value == "Acheteuse; EMEA"
        assert elodie.email.value == "elodie@dupont-fils.example"
        assert len({c.uid.value for c in cards}) == len(cards)
        _, _, again = fetch(server + f"/api/v1/export?format=vcard&version={version}")
        assert [c.uid.value for c in vobject.readComponents(again.decode("utf-8"))] == [c.uid.value for c in cards]


def test_an_encrypted_backup_opens_with_pyrage_and_a_pyrage_file_restores_in_rapport():
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "circle.sqlite")
        assert rapport("people", "add", "Maren Holt", "--email", "maren@fjord.example", db=db).returncode == 0
        backup = os.path.join(folder, "circle.sqlite.age")
        done = rapport("backup", backup, "--encrypt", db=db, passphrase="a long passphrase")
        assert done.returncode == 0, done.stderr
        plain = pyrage.passphrase.decrypt(open(backup, "rb").read(), "a long passphrase")
        assert plain.startswith(b"SQLite format 3\x00")
        # The other way: the JSON export, encrypted by pyrage, restores into an empty database.
        exported = rapport("export", "--format", "json", db=db)
        assert exported.returncode == 0
        theirs = os.path.join(folder, "theirs.json.age")
        with open(theirs, "wb") as out:
            out.write(pyrage.passphrase.encrypt(exported.stdout.encode(), "another passphrase"))
        fresh = os.path.join(folder, "fresh.sqlite")
        wrong = rapport("restore", theirs, db=fresh, passphrase="not it")
        assert wrong.returncode != 0 and "passphrase" in wrong.stderr
        restored = rapport("restore", theirs, db=fresh, passphrase="another passphrase")
        assert restored.returncode == 0, restored.stderr
        shown = rapport("people", "show", "maren@fjord.example", "--json", db=fresh)
        assert json.loads(shown.stdout)["name"] == "Maren Holt"


def test_a_real_calendar_client_subscribes_to_the_feed_and_a_second_fetch_updates_instead_of_duplicating(server, tmp_path):
    """khal (a calendar client on vdir storage) imports the feed as a subscription does: every event lands once, with
    its reminder, and fetching again replaces events by UID."""
    import shutil
    import pytest
    khal = shutil.which("khal")
    if khal is None:
        pytest.skip("khal is not installed (pip install khal)")
    _, _, raw = fetch(server + "/api/v1/export?format=ics")
    feed = tmp_path / "feed.ics"
    feed.write_bytes(raw)
    store = tmp_path / "calendar"
    store.mkdir()
    config = tmp_path / "config"
    config.write_text(f"[calendars]\n[[rapport]]\npath = {store}\ntype = calendar\n[locale]\ntimeformat = %H:%M\n"
                      "dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
                      "longdatetimeformat = %Y-%m-%d %H:%M\n")
    events = raw.count(b"BEGIN:VEVENT")
    follow_ups = raw.count(b"UID:rapport-followup-")
    assert follow_ups > 0
    for _ in range(2):
        done = subprocess.run([khal, "-c", str(config), "import", "--batch", str(feed)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        # One file per event, named by its UID (khal leaves its own temporary files beside them on a re-import).
        assert len([p for p in store.iterdir() if p.suffix == ".ics"]) == events
        listed = subprocess.run([khal, "-c", str(config), "list", "2000-01-01", "2100-01-01"], capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and listed.stdout.count("Follow up with") == follow_ups
        assert listed.stdout.count("\u23f0") >= follow_ups, "each follow-up carries its reminder"
