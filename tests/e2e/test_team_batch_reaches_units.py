"""A monitoring team's batch, through HTTP only, to the units' mailboxes, marked as the team's findings."""
import csv
import io
import shutil
import subprocess
import sys
import time

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from services.intake.teams.manifest import COLUMNS
from tests.support.complaints import bkd_email, png_bytes
from tests.support.servers import body_text
from tests.support.system import ROOT

SHOT = ROOT / "docs" / "screenshots" / "unit-mail-team-finding.png"
TEAM = "Tim Pemantau Netralitas ASN NTB"
PLACES = {"NTB-E2E-1": "52.71", "NTB-E2E-2": "52.01", "NTB-E2E-3": "52"}


def team_key(system) -> str:
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["intake"]}
    done = subprocess.run([sys.executable, "-m", "services.intake.teams.team_cli", "create", "--team", TEAM, "--region",
                           "52"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.splitlines()[-1]


def manifest() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    for number, (external_id, region) in enumerate(PLACES.items(), start=1):
        writer.writerow({
            "external_id": external_id, "subject_name": f"Pegawai Terlapor {number}", "subject_nip": "",
            "subject_agency": "Badan Kepegawaian dan Pengembangan SDM",
            "employer_level": "provinsi" if "." not in region else "kabupaten_kota", "region_code": region,
            "category": "unggah_dukungan", "platform": "instagram", "occurred_on": "2026-11-01",
            "description": f"Temuan patroli siber nomor {number}: unggahan dukungan pasangan calon.",
            "screenshots": f"shot-{number}.png"})
    return out.getvalue().encode()


def screenshot_of(html: str, tmp_path) -> None:
    """The unit mail's HTML part as a mail client shows it, in Debian's headless Chromium."""
    page = tmp_path / "mail.html"
    page.write_text(html, encoding="utf-8")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.get(page.as_uri())
        assert f"Temuan tim pemantau: {TEAM}" in driver.find_element("tag name", "body").text
        driver.save_screenshot(str(SHOT))
    finally:
        driver.quit()


def test_a_teams_batch_reaches_each_unit_marked_as_a_team_finding(system, mailbox, tmp_path):
    token = team_key(system)
    files = [("manifest", ("temuan.csv", manifest(), "text/csv"))]
    files += [("files", (f"shot-{n}.png", png_bytes(90 + n), "image/png")) for n in range(1, 4)]
    started = time.monotonic()
    answer = requests.post(f"{system.api}/batches", files=files, headers={"Authorization": f"Bearer {token}"},
                           timeout=60)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["accepted"] == 3, result
    for item in result["items"]:
        unit = bkd_email(PLACES[item["external_id"]])
        mails = [m for m in mailbox.wait_for(item["tracking_code"], timeout=90) if unit in m["X-Netra-Rcpt-To"]]
        assert len(mails) == 1, f"one mail to {unit}"
        assert f"Temuan tim pemantau: {TEAM}" in body_text(mails[0])
    html = next(part for part in mails[0].walk() if part.get_content_type() == "text/html")
    screenshot_of(html.get_payload(decode=True).decode(html.get_content_charset() or "utf-8"), tmp_path)
    print(f"batch of 3 to the units' mailboxes in {time.monotonic() - started:.1f}s")
    own = requests.get(f"{system.api}/team/complaints", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert {f["external_id"] for f in own.json()} == set(PLACES)
