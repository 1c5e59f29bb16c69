"""Headless Debian Chromium for the citizen pages: a driver at a given width, axe-core, screenshots.

axe-core comes from the npm registry into var/cache/axe (`deploy/infra.sh tests`, ensure_axe_core) and is injected
into the page through WebDriver, which the pages' CSP does not stop.
"""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "var" / "cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium(width: int, height: int = 900, javascript: bool = True) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 "--lang=id-ID"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"),
                              options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # the window's inner width, exactly
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
    return driver


def new_browser(width: int, downloads=None):
    """A driver at this width, with Chromium's console kept; downloads go to `downloads` when given."""
    options = webdriver.ChromeOptions()
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations land in the console
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=id",
                     f"--window-size={width},900", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_window_size(width, 900)
    if downloads is not None:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA findings of the given impacts on the page as it is now."""
    assert AXE.exists(), f"{AXE} is missing: run `deploy/infra.sh tests` (it fetches axe-core)"
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))), e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));", AXE_TAGS)
    return [v for v in found if v["impact"] in impacts]


def screenshot(driver, name: str) -> Path:
    """The whole page (not only the viewport) as docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "fromSurface": True})
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def horizontal_overflow(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


def clipped_scrollers(driver) -> list[str]:
    """Boxes that scroll sideways inside the page (overflow-x auto or scroll) because their content is wider:
    the page itself fits, yet part of a row is hidden until one scrolls that box."""
    return driver.execute_script("""
      const clipped = [];
      for (const el of document.querySelectorAll('main *')) {
        const style = getComputedStyle(el).overflowX;
        if ((style === 'auto' || style === 'scroll') && el.scrollWidth > el.clientWidth + 1)
          clipped.push((el.id || el.className || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
      }
      return clipped;""")


def small_targets(driver, minimum: int = 24) -> list[str]:
    """Visible buttons, form controls and non-inline links smaller than minimum × minimum CSS pixels."""
    return driver.execute_script("""
      const small = [];
      for (const el of document.querySelectorAll('button, input, select, textarea, nav a, .tombol a')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.width < arguments[0] || r.height < arguments[0])
          small.push((el.id || el.name || el.textContent.trim()) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
      }
      return small;""", minimum)


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if ("Content Security Policy" in entry["message"] or entry["level"] == "SEVERE")
            and "favicon.ico" not in entry["message"]]


def shoot(driver, name: str, width: int) -> None:
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(height + 120, 6000))
    driver.save_screenshot(str(SCREENSHOTS / f"desk-{name}.png"))
    driver.set_window_size(width, 900)


def styled_under_the_csp(driver) -> None:
    """The page's stylesheet applied, and nothing the page holds refused by its Content-Security-Policy."""
    refused = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert refused == []
    header = driver.execute_script("return getComputedStyle(document.querySelector('header')).backgroundColor")
    assert header == "rgb(18, 60, 105)"


def case_link(driver, tracking_code: str):
    """The link to the case whose row shows this tracking code (the link itself reads the case number)."""
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.XPATH, f"//tr[contains(., '{tracking_code}')]//a[contains(@href, '/desk/kasus/')]")


def on_case_page(tracking_code: str):
    """For WebDriverWait: the page of the case with this tracking code (its title names the case number)."""
    return lambda driver: driver.title.startswith("Kasus ") and tracking_code in driver.page_source
