"""Opening Rapport on the demo data shows where the PM stands: goals, the streak and a chart, also on a phone."""
from selenium.webdriver.common.by import By


def test_dashboard_of_the_demo_shows_goals_streak_and_a_chart(server, browser):
    browser.get(server + "/")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "This week" in text and "weeks in a row" in text
    assert "Hear from 12 Ops Leads this quarter" in text
    assert "Rising themes" in text and "Next hypothesis to test" in text
    charts = browser.find_elements(By.CSS_SELECTOR, "main svg.chart")
    assert len(charts) >= 2
    titles = [c.find_element(By.TAG_NAME, "title").get_attribute("textContent") for c in charts]
    assert "Conversations per week, last 26 weeks, by kind" in titles
    bars = browser.find_elements(By.CSS_SELECTOR, "svg[aria-labelledby='weekly-title weekly-desc'] rect")
    assert len(bars) > 5


def test_dashboard_fits_a_phone_without_horizontal_scroll(server, phone):
    phone.get(server + "/")
    overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the dashboard scrolls sideways by {overflow}px"
    phone.save_screenshot("/tmp/rapport-dashboard-phone.png")
