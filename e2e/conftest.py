"""Fixtures for the browser suite: a `rapport serve --demo --port 0` server and a headless Chromium."""
import os
import re
import subprocess
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("RAPPORT_BIN", os.path.join(ROOT, ".build", "debug", "rapport"))


@pytest.fixture(scope="session")
def server():
    """Starts Rapport on a free port with the demo circle and yields its base URL."""
    env = dict(os.environ, XDG_DATA_HOME=os.path.join("/tmp", "rapport-e2e-xdg"))
    env.pop("RAPPORT_DATABASE_URL", None)
    process = subprocess.Popen(
        [BINARY, "serve", "--demo", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    url = None
    deadline = time.time() + 60
    lines = []
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        match = re.search(r"running at (http://127\.0\.0\.1:\d+)/", line)
        if match:
            url = match.group(1)
            break
    if url is None:
        process.kill()
        pytest.fail("rapport serve did not start:\n" + "".join(lines))
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def make_driver(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(flag)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser():
    driver = make_driver(1280, 900)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    driver = make_driver(390, 844)
    yield driver
    driver.quit()
