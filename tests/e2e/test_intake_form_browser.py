"""The citizen's form in headless Chromium at 1280 px and 360 px, against real PostgreSQL and MinIO.

intake runs in this process behind a local WSGI server; the browser reaches it through a TCP proxy the
test controls (the network drop), and intake reaches its own database through another (the 503). The
shared servers never see a fault. Every check is what a citizen sees or what the database holds.
"""
import re
import threading
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.browser import (axe_violations, chromium, console_errors, horizontal_overflow, screenshot,
                                   small_targets)
from tests.support.migrated import migrated_database
from tests.support.system import free_port
from tests.support.tcp_proxy import TcpProxy


class Site:
    def __init__(self, url, web, database, engine):
        self.url, self.web, self.database, self.engine = url, web, database, engine

    def tracking_codes(self) -> list[str]:
        with self.engine.connect() as connection:
            return [row[0] for row in connection.execute(sa.text("SELECT tracking_code FROM complaints"))]


database_url = migrated_database("intake")  # services never create their tables


@pytest.fixture
def site(database_url):
    parts = urlsplit(database_url)
    port = free_port()
    with TcpProxy(("127.0.0.1", port)) as web, TcpProxy((parts.hostname, parts.port or 5432)) as database:
        app = create_app(IntakeSettings(database_url=database.via(database_url), rate_limits_enabled=False,
                                        public_url=f"http://127.0.0.1:{web.port}"))
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        engine = sa.create_engine(database_url)
        yield Site(f"http://127.0.0.1:{web.port}", web, database, engine)
        engine.dispose()
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(params=[1280, 360], ids=["1280px", "360px"])
def browser(request):
    driver = chromium(request.param)
    driver.width = request.param
    yield driver
    driver.quit()


@pytest.fixture
def wide():
    driver = chromium(1280)
    yield driver
    driver.quit()


def wait(browser, seconds=20):
    return WebDriverWait(browser, seconds)


def fill_complaint(browser, description="Mengunggah foto bersama calon bupati dengan simbol dua jari."):
    put = lambda name, value: browser.find_element(By.NAME, name).send_keys(value)  # noqa: E731
    put("subject.name", "Budi Santoso")
    put("subject.agency", "Dinas Pendidikan Kabupaten Bengkalis")
    browser.find_element(By.ID, "f-level-kabupaten_kota").click()
    browser.find_element(By.ID, "cari-wilayah").send_keys("bengkalis")
    browser.find_element(By.ID, "f-category-foto_simbol_paslon").click()
    Select(browser.find_element(By.NAME, "violation.platform")).select_by_value("facebook")
    put("violation.post_urls", "https://www.facebook.com/budi/posts/1")
    browser.execute_script("document.getElementById('f-violation-occurred_on').value = '2026-11-02'")
    put("violation.description", description)
    browser.find_element(By.ID, "f-declaration").click()


def submit_button(browser):
    button = browser.find_element(By.ID, "kirim")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    return button


def result_shown(browser):
    wait(browser).until(shown.visibility_of_element_located((By.ID, "hasil")))
    return browser.find_element(By.ID, "kode").text


def test_the_form_is_accessible_fits_the_width_and_shows_errors_next_to_fields(site, browser):
    browser.get(site.url + "/")
    wait(browser).until(shown.visibility_of_element_located((By.ID, "cari-wilayah")))
    suffix = "" if browser.width == 1280 else "-360"
    screenshot(browser, "form-empty" + suffix)
    assert horizontal_overflow(browser) <= 0
    assert small_targets(browser) == []
    assert axe_violations(browser) == []
    assert browser.find_element(By.ID, "pemberitahuan-anonim").is_displayed()
    assert "UU 7/2017 Pasal 454 ayat 4" in browser.find_element(By.ID, "pemberitahuan-anonim").text
    assert not any(radio.is_selected() for radio in browser.find_elements(By.NAME, "subject.employer_level"))

    browser.find_element(By.NAME, "subject.nip").send_keys("123")
    submit_button(browser).click()
    wait(browser).until(shown.visibility_of_element_located((By.ID, "e-subject-nip")))
    assert browser.find_element(By.ID, "e-subject-nip").text == "⚠ NIP harus tepat 18 angka." or \
        browser.find_element(By.ID, "e-subject-nip").text == "NIP harus tepat 18 angka."
    nip = browser.find_element(By.ID, "f-subject-nip")
    assert nip.get_attribute("aria-invalid") == "true" and "e-subject-nip" in nip.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "e-subject-employer_level").text.endswith("Wajib diisi.")
    assert browser.find_element(By.ID, "f-level-pusat").get_attribute("aria-invalid") == "true"
    summary = browser.find_element(By.ID, "ringkasan")
    assert summary.get_attribute("aria-live") == "assertive" and "NIP: NIP harus tepat 18 angka." in summary.text
    assert browser.switch_to.active_element == summary
    screenshot(browser, "form-errors" + suffix)
    assert horizontal_overflow(browser) <= 0
    assert axe_violations(browser) == []
    assert site.tracking_codes() == []


def test_a_double_click_files_one_complaint_and_the_result_takes_the_focus(site, browser):
    browser.get(site.url + "/")
    fill_complaint(browser)
    assert Select(browser.find_element(By.NAME, "subject.region_code")).first_selected_option.text \
        == "Kabupaten Bengkalis"
    browser.find_element(By.NAME, "reporter.name").send_keys("Siti Pelapor")
    browser.find_element(By.NAME, "reporter.email").send_keys("siti@example.org")
    assert not browser.find_element(By.ID, "pemberitahuan-anonim").is_displayed()
    ActionChains(browser).double_click(submit_button(browser)).perform()
    code = result_shown(browser)
    assert code.startswith("NTR-") and len(browser.find_element(By.ID, "tanda").text) >= 32
    assert browser.switch_to.active_element.get_attribute("id") == "hasil-judul"
    wait(browser).until(lambda _: len(site.tracking_codes()) >= 1)
    assert site.tracking_codes() == [code]
    result = browser.find_element(By.ID, "hasil")
    assert "tidak dapat dipulihkan" in result.text and result.find_element(By.LINK_TEXT, "Lacak pengaduan")
    assert [b.text for b in result.find_elements(By.CLASS_NAME, "salin")] == ["Salin kode", "Salin tanda terima"]
    assert browser.find_element(By.NAME, "subject.name").get_attribute("value") == ""  # the form is cleared
    screenshot(browser, "form-result" + ("" if browser.width == 1280 else "-360"))
    assert horizontal_overflow(browser) <= 0 and small_targets(browser) == []
    assert axe_violations(browser) == []
    assert console_errors(browser) == []

    browser.find_element(By.ID, "baru").click()  # a next complaint gets its own Idempotency-Key
    fill_complaint(browser, "Membagikan poster calon ke grup WhatsApp kantor kecamatan.")
    submit_button(browser).click()
    wait(browser).until(lambda b: b.find_element(By.ID, "kode").text not in ("", code))
    assert sorted(site.tracking_codes()) == sorted([code, browser.find_element(By.ID, "kode").text])


def test_a_field_error_goes_once_the_field_is_fixed_and_the_others_stay(site, wide):
    wide.get(site.url + "/")
    wide.find_element(By.NAME, "subject.nip").send_keys("123")
    submit_button(wide).click()
    wait(wide).until(shown.visibility_of_element_located((By.ID, "e-subject-nip")))
    nip = wide.find_element(By.ID, "f-subject-nip")
    nip.clear()
    nip.send_keys("198503122010011002")
    wait(wide).until(shown.invisibility_of_element_located((By.ID, "e-subject-nip")))
    assert nip.get_attribute("aria-invalid") is None
    assert "NIP" not in wide.find_element(By.ID, "ringkasan").text
    wide.find_element(By.ID, "f-level-kabupaten_kota").click()
    wait(wide).until(shown.invisibility_of_element_located((By.ID, "e-subject-employer_level")))
    assert wide.find_element(By.ID, "e-subject-name").is_displayed()  # still empty, still told
    assert wide.find_element(By.ID, "f-subject-name").get_attribute("aria-invalid") == "true"


def test_back_after_sending_keeps_the_receipt_and_forward_shows_it_again(site, browser):
    browser.get(site.url + "/")
    fill_complaint(browser)
    submit_button(browser).click()
    code = result_shown(browser)
    receipt = browser.find_element(By.ID, "tanda").text
    assert browser.current_url.endswith("#tanda-terima")  # the receipt is a history entry of its own

    browser.back()
    wait(browser).until(shown.visibility_of_element_located((By.ID, "masih-ada")))
    assert not browser.find_element(By.ID, "hasil").is_displayed()
    assert "sudah terkirim" in browser.find_element(By.ID, "masih-ada").text
    screenshot(browser, "form-back-after-sending" + ("" if browser.width == 1280 else "-360"))
    assert horizontal_overflow(browser) <= 0 and axe_violations(browser) == []

    browser.forward()
    assert result_shown(browser) == code and browser.find_element(By.ID, "tanda").text == receipt
    browser.back()
    wait(browser).until(shown.visibility_of_element_located((By.ID, "lihat-tanda"))).click()
    assert result_shown(browser) == code and browser.find_element(By.ID, "tanda").text == receipt
    assert site.tracking_codes() == [code]  # nothing was sent again


def test_the_printed_receipt_hides_the_form(site, wide):
    wide.get(site.url + "/")
    fill_complaint(wide)
    submit_button(wide).click()
    result_shown(wide)
    wide.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not wide.find_element(By.TAG_NAME, "footer").is_displayed()
    assert not wide.find_element(By.ID, "cetak").is_displayed()
    assert wide.find_element(By.ID, "tanda").is_displayed()
    sent = wide.find_element(By.ID, "dikirim")  # the printed receipt says when, and where to follow it
    assert sent.is_displayed() and f"{site.url}/lacak" in sent.text
    assert re.search(r"\d{1,2} \w+ 20\d\d", wide.find_element(By.ID, "waktu-kirim").text)


def test_storage_down_shows_a_503_with_retry_and_the_retry_files_once(site, wide):
    wide.get(site.url + "/")
    fill_complaint(wide)
    site.database.cut()
    submit_button(wide).click()
    failure = wait(wide).until(shown.visibility_of_element_located((By.ID, "gagal")))
    assert "Penyimpanan sedang tidak tersedia" in failure.text and wide.switch_to.active_element == failure
    assert wide.find_element(By.ID, "coba-lagi").is_displayed()
    screenshot(wide, "form-503")
    site.database.restore()
    wide.find_element(By.ID, "coba-lagi").click()
    code = result_shown(wide)
    assert site.tracking_codes() == [code]


def test_a_network_drop_shows_a_retry_and_the_retry_files_once(site, wide):
    wide.get(site.url + "/")
    fill_complaint(wide)
    site.web.cut()
    submit_button(wide).click()
    failure = wait(wide).until(shown.visibility_of_element_located((By.ID, "gagal")))
    assert "Tidak dapat terhubung" in failure.text
    assert site.tracking_codes() == []
    site.web.restore()
    wide.find_element(By.ID, "coba-lagi").click()
    code = result_shown(wide)
    wide.find_element(By.ID, "coba-lagi").click() if wide.find_element(By.ID, "coba-lagi").is_displayed() else None
    assert site.tracking_codes() == [code]


def test_a_file_over_the_limit_is_refused_before_upload(site, wide, tmp_path):
    big = tmp_path / "bukti.png"
    big.write_bytes(b"\x89PNG" + b"0" * (26 * 1024 * 1024))
    wide.get(site.url + "/")
    fill_complaint(wide)
    wide.find_element(By.ID, "f-evidence").send_keys(str(big))
    submit_button(wide).click()
    error = wait(wide).until(shown.visibility_of_element_located((By.ID, "e-evidence")))
    assert "lebih dari batas" in error.text
    assert site.tracking_codes() == []


def test_without_javascript_the_region_is_chosen_and_the_form_is_sent(site):
    driver = chromium(360, javascript=False)
    try:
        driver.get(site.url + "/")
        assert not driver.find_element(By.ID, "cari-wilayah").is_displayed()  # the search needs JavaScript
        picker = Select(driver.find_element(By.NAME, "subject.region_code"))
        groups = driver.find_elements(By.CSS_SELECTOR, "#f-subject-region_code optgroup")
        assert len(groups) == 38 and groups[3].get_attribute("label") == "Riau"
        picker.select_by_visible_text("Kabupaten Bengkalis")
        assert picker.first_selected_option.get_attribute("value") == "14.03"
        assert driver.find_element(By.ID, "pemberitahuan-anonim").is_displayed()
        assert horizontal_overflow(driver) <= 0
        put = lambda name, value: driver.find_element(By.NAME, name).send_keys(value)  # noqa: E731
        put("subject.name", "Budi Santoso")
        put("subject.nip", "123")
        driver.find_element(By.ID, "f-level-kabupaten_kota").click()
        driver.find_element(By.ID, "f-category-alat_peraga").click()
        Select(driver.find_element(By.NAME, "violation.platform")).select_by_value("luar_jaringan")
        put("violation.post_urls", "https://www.facebook.com/budi/posts/2")
        put("violation.occurred_on", "02112026")
        put("violation.description", "Memasang spanduk bergambar calon di pagar rumah dinas.")
        submit_button_nojs = driver.find_element(By.ID, "kirim")
        submit_button_nojs.click()
        wait(driver).until(shown.visibility_of_element_located((By.ID, "e-subject-nip")))
        assert driver.find_element(By.ID, "e-subject-agency").text.endswith("Wajib diisi.")
        assert driver.find_element(By.ID, "f-subject-nip").get_attribute("aria-invalid") == "true"
        assert Select(driver.find_element(By.NAME, "subject.region_code")).first_selected_option.text \
            == "Kabupaten Bengkalis"
        screenshot(driver, "form-nojs-errors")
        assert site.tracking_codes() == []
        driver.find_element(By.NAME, "subject.nip").clear()
        put("subject.agency", "Dinas Pendidikan Kabupaten Bengkalis")
        driver.find_element(By.ID, "f-declaration").click()
        driver.find_element(By.ID, "kirim").click()
        code = result_shown(driver)
        assert site.tracking_codes() == [code] and len(driver.find_element(By.ID, "tanda").text) >= 32
        assert not driver.find_element(By.ID, "pengaduan").is_displayed()
    finally:
        driver.quit()


def test_the_privacy_notice_is_linked_from_the_footer_and_accessible(site, browser):
    browser.get(site.url + "/")
    browser.find_element(By.CSS_SELECTOR, "footer").find_element(By.LINK_TEXT, "Pemberitahuan privasi").click()
    wait(browser).until(shown.title_contains("Pemberitahuan privasi"))
    text = browser.find_element(By.TAG_NAME, "main").text
    for words in ("UU 27/2022", "90 hari", "tanpa identitas", "petugas penjaga identitas", "Potong (crop)"):
        assert words in text, words
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "footer a")]
    assert links == [site.url + "/", site.url + "/lacak", site.url + "/privasi"]
    screenshot(browser, "form-privacy" + ("" if browser.width == 1280 else "-360"))
    assert horizontal_overflow(browser) <= 0 and small_targets(browser) == []
    assert axe_violations(browser) == []


def test_an_unknown_address_and_a_form_target_show_a_page_not_json(site, wide):
    for path, title in (("/tidak-ada", "Halaman tidak ditemukan"),
                        ("/lacak/jawab", "Halaman tidak dapat dibuka langsung")):
        wide.get(site.url + path)
        assert wide.find_element(By.TAG_NAME, "h1").text == title
        assert "{" not in wide.find_element(By.TAG_NAME, "main").text
        wide.find_element(By.LINK_TEXT, "Lacak pengaduan")
    screenshot(wide, "form-not-found")
    assert axe_violations(wide) == []


def test_the_receipt_can_be_shown_while_typing_it_on_lacak(site, browser):
    browser.get(site.url + "/lacak")
    field, button = browser.find_element(By.ID, "tanda_terima"), browser.find_element(By.ID, "tampilkan-tanda")
    assert field.get_attribute("type") == "password" and button.is_displayed()
    field.send_keys("ABCD-EFGH")
    button.click()
    assert field.get_attribute("type") == "text" and button.get_attribute("aria-pressed") == "true"
    assert button.text == "Sembunyikan" and field.get_attribute("value") == "ABCD-EFGH"
    assert horizontal_overflow(browser) <= 0 and small_targets(browser) == [] and axe_violations(browser) == []
    screenshot(browser, "lacak-tampilkan" + ("" if browser.width == 1280 else "-360"))
    button.click()
    assert field.get_attribute("type") == "password"


def test_the_receipt_reads_in_groups_and_opens_the_complaint_however_it_is_typed(site, browser):
    browser.get(site.url + "/")
    fill_complaint(browser)
    submit_button(browser).click()
    code = result_shown(browser)
    receipt = browser.find_element(By.ID, "tanda").text
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){7}", receipt), receipt
    screenshot(browser, "form-receipt" + ("" if browser.width == 1280 else "-360"))
    browser.get(site.url + "/lacak")
    browser.find_element(By.ID, "kode").send_keys(code.lower())
    # Typed as a person reads it from paper: lower case, spaces for hyphens, an O for a zero, an l for a one.
    typed = receipt.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    browser.find_element(By.ID, "tanda_terima").send_keys(typed)
    browser.find_element(By.CSS_SELECTOR, "button.utama").click()
    wait(browser).until(shown.title_contains(code))
    assert code in browser.find_element(By.TAG_NAME, "main").text
