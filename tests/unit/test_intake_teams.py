"""Monitoring teams without servers: keys and scopes, manifests, per-item results, the template, per-key limits."""
import csv
import io
import json
import time

import pytest
from openpyxl import load_workbook

from services.intake.app import create_app
from services.intake.teams.manifest import COLUMNS, ManifestError, defused, read_manifest
from services.intake.settings import IntakeSettings
from services.intake.teams.team_cli import main
from services.intake.teams.team_template import template_csv, template_xlsx
from services.intake.teams.teams import (READ, SUBMIT, Forbidden, Unauthorized, authenticate, bearer_token, new_token,
    token_digest)
from tests.support.complaints import png_bytes
from tests.support import spreadsheets
from tests.support.intake_fakes import FakeRepository, FakeStore
from tests.support.team_fakes import FakeTeamStore


def row(external_id, **changes):
    values = {"external_id": external_id, "subject_name": "Lalu Ahmad Fauzi", "subject_nip": "198905142014031002",
              "subject_agency": "Dinas Kependudukan dan Pencatatan Sipil Kota Mataram",
              "employer_level": "kabupaten_kota", "region_code": "52.71", "category": "unggah_dukungan",
              "platform": "facebook", "post_urls": "", "occurred_on": "2026-11-02", "location": "Mataram",
              "description": "Membagikan unggahan kampanye pasangan calon wali kota.", "screenshots": "a.png"}
    return {**values, **changes}


def as_csv(rows, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def make_app(**overrides):
    repository = FakeRepository()
    teams = FakeTeamStore(repository)
    settings = IntakeSettings(database_url="sqlite://", log_format="json", **overrides)
    return create_app(settings, repository=repository, store=FakeStore(), teams=teams), repository, teams


def upload(client, token, manifest: bytes, name="temuan.csv", files=(("a.png", png_bytes(1)),)):
    data = {"manifest": (io.BytesIO(manifest), name), "files": [(io.BytesIO(b), n) for n, b in files]}
    return client.post("/api/v1/batches", data=data, content_type="multipart/form-data",
                       headers={"Authorization": f"Bearer {token}"} if token else {})


# keys and scopes

def test_a_key_is_high_entropy_and_only_its_digest_is_kept():
    repository = FakeRepository()
    store = FakeTeamStore(repository)
    out = io.StringIO()
    assert main(["create", "--team", "Tim Pemantau Netralitas ASN NTB", "--region", "52"], store=store, out=out) == 0
    token = out.getvalue().splitlines()[-1]
    assert token.startswith("netra_team_") and len(token) > 50 and token != new_token()
    assert list(store.keys_by_digest) == [token_digest(token)] and token not in json.dumps(
        [k.__dict__ for k in store.keys_by_digest.values()], default=list)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "Bearer netra_team_unknown", "netra_team_x"])
def test_missing_or_unknown_keys_are_unauthorized(header):
    with pytest.raises(Unauthorized):
        authenticate(FakeTeamStore(FakeRepository()), header, SUBMIT)


def test_a_revoked_key_is_refused_and_a_key_without_the_scope_is_forbidden():
    store = FakeTeamStore(FakeRepository())
    key_id, token = store.create_key("Tim A")
    _, reader = store.create_key("Tim B", scopes=(READ,))
    assert authenticate(store, f"Bearer {token}", SUBMIT).team_name == "Tim A"
    with pytest.raises(Forbidden):
        authenticate(store, f"Bearer {reader}", SUBMIT)
    store.revoke(key_id)
    with pytest.raises(Unauthorized):
        authenticate(store, f"Bearer {token}", READ)
    assert bearer_token(f"bearer {token}") == token


def test_region_of_the_cli_must_be_a_kemendagri_code():
    with pytest.raises(SystemExit):
        main(["create", "--team", "Tim", "--region", "99.99"], store=FakeTeamStore(FakeRepository()))


# manifests

def test_csv_with_semicolons_json_and_the_example_row_are_read_alike():
    rows = [row("CONTOH"), row("NTB-1"), {k: "" for k in COLUMNS}]
    from_csv = read_manifest("x.csv", as_csv(rows, ";"), 10)
    from_json = read_manifest("x.json", json.dumps({"items": rows[:2]}).encode(), 10)
    assert [(n, r["external_id"]) for n, r in from_csv] == [(3, "NTB-1")]
    assert [(n, r["external_id"]) for n, r in from_json] == [(2, "NTB-1")]


@pytest.mark.parametrize("name,data,words", [
    ("x.txt", b"a", ".json, .csv or .xlsx"), ("x.csv", b"external_id,nama\nA,b\n", "Unknown column"),
    ("x.json", b"{", "not valid"), ("x.xlsx", b"PK\x03\x04 broken", "not a readable spreadsheet"),
    ("x.csv", b"external_id\n", "no items"), ("x.json", b'[1, 2]', "list of objects")])
def test_an_unreadable_manifest_says_why(name, data, words):
    with pytest.raises(ManifestError, match=words):
        read_manifest(name, data, 10)


def test_more_rows_than_allowed_are_refused_as_a_whole():
    with pytest.raises(ManifestError, match="At most 3 items"):
        read_manifest("x.csv", as_csv([row(f"N-{i}") for i in range(4)]), 3)


def test_a_sheet_declaring_a_million_rows_of_16384_columns_is_refused_at_the_row_limit():
    """One cell in the far corner: openpyxl would hand out every empty row and column up to it."""
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim A")
    manifest = spreadsheets.far_corner()
    started = time.monotonic()
    answer = upload(app.test_client(), token, manifest, "temuan.xlsx")
    print(f"{len(manifest)} bytes, A1:XFD1048576: answered in {time.monotonic() - started:.3f} s")
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["errors"]["manifest"] == [
        "The XLSX manifest goes on past row 10200; at most 10200 rows are read (the items, and blank rows between "
        "and below them). Delete the rows below the items."]
    assert repository.events == []


def test_an_xlsx_is_read_in_the_template_columns_and_stops_at_the_first_item_over_the_limit():
    items = "".join(f'<row r="{n}">{spreadsheets.text_cell(f"A{n}", f"N-{n}")}'
                    f'{spreadsheets.text_cell(f"XFD{n}", "far")}</row>' for n in range(2, 6))
    manifest = spreadsheets.xlsx(spreadsheets.sheet_xml(items, "A1:XFD5"))
    rows = read_manifest("x.xlsx", manifest, 4)
    assert [(n, r["external_id"]) for n, r in rows] == [(2, "N-2"), (3, "N-3"), (4, "N-4"), (5, "N-5")]
    assert set(rows[0][1]) == set(COLUMNS) and "far" not in rows[0][1].values()
    with pytest.raises(ManifestError, match="At most 3 items per batch; this manifest has more"):
        read_manifest("x.xlsx", manifest, 3)


@pytest.mark.parametrize("kind", sorted(spreadsheets.UNREADABLE))
def test_an_unreadable_spreadsheet_is_a_422_problem_never_a_500(kind):
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim A")
    answer = upload(app.test_client(), token, spreadsheets.UNREADABLE[kind](), "temuan.xlsx")
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json", answer.json
    assert answer.json["errors"]["manifest"] == [
        "The XLSX manifest is not a readable spreadsheet; use the template (template.xlsx)."]
    assert repository.events == []


def test_an_external_entity_in_a_spreadsheet_is_never_read(tmp_path):
    import openpyxl
    assert openpyxl.DEFUSEDXML  # openpyxl parses with defusedxml: DTD entities are refused, not expanded
    secret = tmp_path / "secret.txt"
    secret.write_text("PLANTED-SERVER-SECRET")
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim A")
    answer = upload(app.test_client(), token, spreadsheets.external_entity(str(secret)), "temuan.xlsx")
    assert answer.status_code == 422 and "not a readable spreadsheet" in answer.json["detail"]
    assert "PLANTED" not in answer.text and repository.events == []


def test_echoed_values_cannot_start_a_formula():
    assert defused("=HYPERLINK(\"http://x\")").startswith("'=") and defused("NTB-1") == "NTB-1"


# per-item results over HTTP, with fakes

def test_each_item_is_accepted_refused_or_a_duplicate_on_its_own():
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim Pemantau Netralitas ASN NTB")
    manifest = as_csv([row("NTB-1"), row("NTB-2", subject_nip="123", category="nope"), row("NTB-1"),
                       row("=cmd|' /C calc'!A0"), row("NTB-3", screenshots="missing.png")])
    answer = upload(app.test_client(), token, manifest)
    assert answer.status_code == 200, answer.json
    items = answer.json["items"]
    assert [i["status"] for i in items] == ["accepted", "refused", "duplicate", "refused", "refused"]
    assert items[2]["tracking_code"] == items[0]["tracking_code"]
    assert set(items[1]["errors"]) == {"subject_nip", "category"}
    assert items[3]["external_id"].startswith("'=") and "external_id" in items[3]["errors"]
    assert "missing.png" in items[4]["errors"]["screenshots"][0]
    event = repository.events[0]["payload"]
    assert event["source"] == {"kind": "team", "team_id": "team_Tim Pemantau Netralitas ASN NTB",
                               "team_name": "Tim Pemantau Netralitas ASN NTB"}
    assert event["reporter_contact"] is None and len(event["evidence"]) == 1
    again = upload(app.test_client(), token, manifest).json
    assert (again["accepted"], again["duplicate"], again["refused"]) == (0, 2, 3) and len(repository.events) == 1


def test_auth_answers_are_problems():
    app, _, teams = make_app()
    _, reader = teams.create_key("Tim B", scopes=(READ,))
    client = app.test_client()
    missing = upload(client, None, as_csv([row("A")]))
    assert missing.status_code == 401 and missing.mimetype == "application/problem+json"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert upload(client, reader, as_csv([row("A")])).status_code == 403
    assert client.get("/api/v1/team/complaints", headers={"Authorization": f"Bearer {reader}"}).json == []


def test_limits_are_per_key_with_retry_after():
    app, _, teams = make_app(team_batch_rate_limit="2/minute")
    _, first = teams.create_key("Tim A")
    _, second = teams.create_key("Tim B")
    client = app.test_client()
    assert [upload(client, first, as_csv([row(f"A-{i}")])).status_code for i in range(2)] == [200, 200]
    limited = upload(client, first, as_csv([row("A-3")]))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert upload(client, second, as_csv([row("B-1")])).status_code == 200


# the template

def test_csv_template_has_every_column_and_an_example_that_validates():
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim A")
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    filled = data + b"NTB-9" + data.decode("utf-8-sig").splitlines()[1][len("CONTOH"):].encode() + b"\r\n"
    answer = upload(app.test_client(), token, filled, files=(("ntb-0001.png", png_bytes(3)),)).json
    assert (answer["accepted"], answer["refused"]) == (1, 0), answer


def test_xlsx_template_lists_the_codes_on_its_second_sheet_and_reads_back():
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames[:2] == ["temuan", "kode"]
    assert [c.value for c in book["temuan"][1]] == list(COLUMNS)
    codes = {(r[0], r[1]) for r in book["kode"].iter_rows(min_row=2, values_only=True)}
    assert {("category", "unggah_dukungan"), ("employer_level", "pusat"), ("region_code", "52"),
            ("region_code", "52.71"), ("platform", "facebook")} <= codes
    sheet = book["temuan"]
    for number, external_id in ((3, "NTB-7"), (4, "NTB-8")):  # typed under the example row
        for column, cell in enumerate(sheet[2], start=1):
            sheet.cell(row=number, column=column).value = external_id if column == 1 else cell.value
    sheet["C4"].value = 198905142014031002  # typed as a number: digits are lost
    out = io.BytesIO()
    book.save(out)
    rows = read_manifest("t.xlsx", out.getvalue(), 10)
    assert [r["external_id"] for _, r in rows] == ["NTB-7", "NTB-8"]
    app, _, teams = make_app()
    _, token = teams.create_key("Tim A")
    answer = upload(app.test_client(), token, out.getvalue(), "t.xlsx", (("ntb-0001.png", png_bytes(4)),)).json
    assert [i["status"] for i in answer["items"]] == ["accepted", "refused"]
    assert "subject_nip" in answer["items"][1]["errors"]


# the marker, through the contract

def test_a_team_finding_matches_the_team_example_and_the_unit_mail_names_the_team():
    from services.notify.events import CaseRouted
    from services.notify.mail import unit_case_message
    from tests.support import notify_events
    from tests.support.notify_fakes import as_received
    from tests.support.contracts import assert_matches_example, example
    app, repository, teams = make_app()
    _, token = teams.create_key("Tim Pemantau Netralitas ASN NTB")
    assert upload(app.test_client(), token, as_csv([row("NTB-1")])).json["accepted"] == 1
    assert_matches_example(repository.events[0], "complaint.submitted.team")
    source = example("complaint.submitted.team")["payload"]["source"]
    for extra, shown in (({"source": source}, True), ({}, False)):
        case = CaseRouted().load(notify_events.case_routed(**extra)["payload"])
        message = as_received(unit_case_message(case, "https://desk.netra.test/", "Netra <netra@localhost>"))
        for part in ("plain", "html"):
            body = message.get_body((part,)).get_content()
            assert ("Temuan tim pemantau: Tim Pemantau Netralitas ASN NTB" in body) is shown


def test_oversized_manifests_and_uploads_are_refused_with_problems():
    app, repository, teams = make_app(max_manifest_bytes=2048, max_batch_bytes=64 * 1024)
    _, token = teams.create_key("Tim A")
    client = app.test_client()
    big = upload(client, token, as_csv([row(f"N-{i}") for i in range(20)]))
    assert big.status_code == 422 and "manifest" in big.json["errors"]
    huge = upload(client, token, as_csv([row("N-1")]), files=(("a.png", b"\x89PNG" + b"0" * 100_000),))
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"
    assert repository.events == []
