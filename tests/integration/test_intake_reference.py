"""What the form and API clients read: the OpenAPI document, the reference lists, health."""

import pytest

from services.intake.settings import IntakeSettings
from services.intake.app import create_app
from tests.support.migrated import migrated_database


database_url = migrated_database("intake")  # services never create their tables


@pytest.fixture
def client(database_url):
    return create_app(IntakeSettings(database_url=database_url)).test_client()


def test_openapi_is_generated_from_the_validating_schemas(client):
    spec = client.get("/api/v1/openapi.json").json
    assert set(spec["paths"]) >= {"/api/v1/complaints", "/api/v1/complaints/{tracking_code}",
                                  "/api/v1/reference/categories", "/api/v1/reference/platforms",
                                  "/api/v1/reference/regions"}
    complaint = spec["components"]["schemas"]["Complaint"]
    assert set(complaint["required"]) == {"subject", "violation", "declaration"}
    subject = spec["components"]["schemas"]["Subject"]
    assert subject["properties"]["nip"]["pattern"] == r"^\d{18}$"
    assert "kabupaten_kota" in subject["properties"]["employer_level"]["enum"]
    post = spec["paths"]["/api/v1/complaints"]["post"]
    assert {"202", "413", "415", "422"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]


def test_reference_lists(client):
    categories = {c["code"]: c["label"] for c in client.get("/api/v1/reference/categories").json}
    assert len(categories) == 10 and "foto_simbol_paslon" in categories
    assert "luar_jaringan" in {p["code"] for p in client.get("/api/v1/reference/platforms").json}
    provinces = client.get("/api/v1/reference/regions").json
    assert len(provinces) == 38
    riau = client.get("/api/v1/reference/regions?parent=14").json
    assert {"code": "14.03", "name": "Kabupaten Bengkalis", "type": "kabupaten"} in riau
    assert client.get("/api/v1/reference/regions?parent=99").json == []


def test_health_and_the_form(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["database"] == ready.json["store"] == "ok"
    form = client.get("/").get_data(as_text=True)
    assert "Pengaduan Pelanggaran Netralitas ASN" in form and "Identitas pelapor dirahasiakan" in form
