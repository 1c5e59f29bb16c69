"""The benchmark's own parts, with fakes: the chain's steps and checks, CPU arithmetic, the load's PNG,
the summary's numbers."""
import hashlib
import io
import json
import struct
import zlib

import pytest
from sqlalchemy import create_engine, select

from bench import cpu
from bench.celery_chain import steps
from bench.celery_chain.app import create_app
from bench.celery_chain.config import EVIDENCE_BUCKET, STAGING_BUCKET, complaints, metadata
from bench.load import Sent, incompressible_png
from bench.measure import Load, summary
from bench.report import idle_table, split_table, work_table
from bench.work import Counts, counters
from bench.systems import Running
from tests.support.complaints import complaint


class FakeStore:
    def __init__(self):
        self.objects = {}

    def put_object(self, bucket, key, data, length, content_type=None):
        self.objects[(bucket, key)] = data.read(length)

    def get_object(self, bucket, key):
        answer = io.BytesIO(self.objects[(bucket, key)])
        answer.release_conn = lambda: None
        return answer


@pytest.fixture
def engine():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine


def test_chain_archives_under_the_sha256_and_routes_by_province(engine):
    store, blob = FakeStore(), b"\x89PNG evidence"
    steps.stage(store, engine, "c-1", "CH-1", complaint(region_code="14.03"), [("image/png", blob)])
    steps.archive(store, engine, "c-1")
    steps.route(engine, "c-1")
    sha = hashlib.sha256(blob).hexdigest()
    assert store.objects[(EVIDENCE_BUCKET, f"c-1/{sha}")] == blob == store.objects[(STAGING_BUCKET, "c-1/0")]
    with engine.connect() as conn:
        row = conn.execute(select(complaints)).one()
    assert row.unit_email == steps.UNITS["14"]
    mail = steps.case_mail(row, "chain@bench")
    assert "CH-1" in mail["Subject"] and sha in mail.get_content() and mail["To"] == steps.UNITS["14"]


def test_unknown_province_goes_to_the_fallback_unit(engine):
    steps.stage(FakeStore(), engine, "c-2", "CH-2", complaint(region_code="99.01"), [])
    steps.route(engine, "c-2")
    with engine.connect() as conn:
        assert conn.execute(select(complaints.c.unit_email)).scalar() == steps.FALLBACK_UNIT


@pytest.mark.parametrize("part", ["not json", "[1]", json.dumps({"subject": {"name": "B"}, "violation": {}})])
def test_chain_answers_bad_complaints_with_400(part):
    answer = create_app().test_client().post("/complaints", data={"complaint": part})
    assert answer.status_code == 400 and answer.json["error"]


def test_cpu_counts_reaped_children_and_processes_born_or_gone():
    before = {"celery": {1: 10.0, 2: 3.0}, "postgres": {7: 1.0}}
    after = {"celery": {1: 14.5, 3: 0.5}, "postgres": {7: 1.25}}  # 2 was reaped by 1; 3 was born
    assert cpu.spent(before, after) == {"celery": 5.0, "postgres": 0.25}


def test_load_png_is_a_png_of_the_size_asked_that_does_not_compress():
    blob = incompressible_png(64 * 1024)
    assert blob.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", blob[16:24])
    assert abs(len(blob) - 64 * 1024) < 1024 and width * height * 3 > 60 * 1024
    assert len(zlib.compress(blob)) > 0.99 * len(blob)


def test_summary_times_from_submit_to_first_unit_mail_and_counts_duplicates():
    sent = [Sent("A", 100.0, 100.1, 202), Sent("B", 100.5, 100.7, 202), Sent(None, 101.0, 101.2, 503)]
    arrived = {"A": [101.0, 101.5], "B": [102.5]}
    system = Running("X", "http://x", "<x-", lambda: {}, [], lambda: None)
    result = summary(system, Load(3, 1, 1024), sent, arrived, {"worker": 0.3, "minio": 0.1})
    assert (result["accepted"], result["delivered"], result["duplicates"]) == (2, 2, 1)
    assert result["complaints_per_s"] == 0.8  # 2 complaints from 100.0 to 102.5
    assert result["e2e_ms"] == {"p50": 1000.0, "p95": 2000.0, "p99": 2000.0, "max": 2000.0}
    assert result["cpu_ms_per_complaint"] == {"worker": 150.0, "minio": 50.0, "total": 200.0}


def test_idle_cpu_is_reported_per_second_and_per_complaint_at_the_rate_reached():
    sent = [Sent("A", 100.0, 100.1, 202), Sent("B", 100.5, 100.7, 202)]
    system = Running("X", "http://x", "<x-", lambda: {}, [], lambda: None)
    result = summary(system, Load(2, 1, 1024), sent, {"A": [101.0], "B": [102.5]}, {"worker": 0.3},
                     {"minio": 2.0, "rabbitmq": 8.5, "worker": 0.0})
    assert result["idle_cpu_ms_per_s"] == {"rabbitmq": 8.5, "minio": 2.0, "worker": 0.0, "total": 10.5}
    table = idle_table([result])
    # 10.5 ms/s at 0.8 complaints/s
    assert table.splitlines()[-1] == "| X | 1 | closed, 1 threads | 10.5: rabbitmq 8.5, minio 2 | 13.1 |"
    assert len(idle_table([summary(system, Load(2, 1, 1024), sent, {}, {"worker": 0.3})]).splitlines()) == 2


def test_cpu_is_split_between_the_shared_servers_and_the_systems_own_processes():
    sent = [Sent("A", 100.0, 100.1, 202), Sent("B", 100.5, 100.7, 202)]
    system = Running("X", "http://x", "<x-", lambda: {}, [], lambda: None)
    spent = {"worker": 0.05, "gunicorn": 0.01, "minio": 0.02, "rabbitmq": 0.01, "postgres": 0.004, "mailbox": 0.002}
    result = summary(system, Load(2, 1, 1024), sent, {"A": [101.0], "B": [102.5]}, spent)
    assert split_table([result]).splitlines()[-1] == "| X | 1 | closed, 1 threads | 18 | 30 | 48 |"


PAGE = """# TYPE minio_api_requests_total counter
minio_api_requests_total{name="PutObject",server="a",type="s3"} 9
minio_api_requests_total{name="GetObject",server="a",type="s3"} 3
# TYPE rabbitmq_global_messages_delivered_total counter
rabbitmq_global_messages_delivered_total{protocol="amqp091",queue_type="rabbit_classic_queue"} 5
rabbitmq_global_messages_delivered_total{protocol="amqp091",queue_type="rabbit_quorum_queue"} 20
# TYPE rabbitmq_global_messages_delivered_get_auto_ack_total counter
rabbitmq_global_messages_delivered_get_auto_ack_total{protocol="amqp091",queue_type="rabbit_quorum_queue"} 7
"""


def test_counters_are_summed_per_family_and_per_label_value():
    assert counters(PAGE, {"delivered": "rabbitmq_global_messages_delivered"}) == {"delivered": 25.0}
    assert counters(PAGE, {"minio": "minio_api_requests"}, label="name") == {"minio.PutObject": 9.0,
                                                                              "minio.GetObject": 3.0}


def test_work_per_complaint_is_what_the_servers_counted_during_the_run(tmp_path):
    for name in ("100-a.eml", "200-b.eml", "250-c.eml", "400-d.eml", "300-e.txt"):
        (tmp_path / name).write_text("")
    counts = Counts("http://minio", "http://broker", "postgresql://", [], tmp_path)
    before = {"at_ns": 150.0, "published": 10.0, "delivered": 20.0, "transactions": 7.0, "minio.PutObject": 1.0}
    after = {"at_ns": 300.0, "published": 20.0, "delivered": 42.0, "transactions": 37.0, "minio.PutObject": 9.0,
             "minio.DeleteObject": 2.0}
    work = counts.per_complaint(before, after, 2)
    assert work == {"minio_requests": {"PutObject": 4.0, "DeleteObject": 1.0, "total": 5.0},
                    "broker_published": 5.0, "broker_delivered": 11.0, "pg_transactions": 15.0, "mails": 1.0}
    system = Running("X", "http://x", "<x-", lambda: {}, [], lambda: None)
    sent = [Sent("A", 100.0, 100.1, 202), Sent("B", 100.5, 100.7, 202)]
    result = summary(system, Load(2, 1, 1024), sent, {"A": [101.0], "B": [102.5]}, {"worker": 0.3}, None, work)
    assert work_table([result]).splitlines()[-1] == \
        "| X | 1 | closed, 1 threads | 5: PutObject 4, DeleteObject 1 | 5 / 11 | 15 | 1 |"
    shared = Counts(None, "http://broker", "postgresql://", [], tmp_path).per_complaint(before, after, 2)
    assert shared["minio_requests"] is None
    assert "not counted" in work_table([{**result, "work_per_complaint": shared}])


def test_chain_keeps_a_runs_objects_under_its_folder(engine):
    store = FakeStore()
    steps.stage(store, engine, "c-3", "CH-3", complaint(), [("image/png", b"x")], folder="run-1/c-3")
    steps.archive(store, engine, "c-3")
    assert all(key.startswith("run-1/c-3/") for _, key in store.objects)


def test_same_work_chain_reencodes_without_metadata_and_keeps_the_pixels():
    from PIL import Image, PngImagePlugin

    from bench.celery_chain.same_work import reencoded
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Siti Rahmawati")  # what a phone or an editor leaves in a screenshot
    original = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(original, format="PNG", pnginfo=info)
    clean = reencoded(original.getvalue())
    assert b"Siti Rahmawati" in original.getvalue() and b"Siti Rahmawati" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (8, 8) and image.getpixel((3, 3)) == (200, 10, 10) and not image.text


def test_profiles_are_reduced_to_self_time_and_to_the_projects_own_functions(tmp_path):
    from bench import profile
    raw = tmp_path / "netra-routing.txt"
    raw.write_text(
        "process 1:\"python -m services.routing\";handle (/work/main/services/routing/worker.py:10);"
        "execute (/work/main/.venv/lib/python3.11/site-packages/sqlalchemy/engine/base.py:5) 30\n"
        "process 1:\"python -m services.routing\";handle (/work/main/services/routing/worker.py:12);"
        "dumps (/usr/lib/python3.11/json/__init__.py:231) 10\n"
        "process 1:\"python -m services.routing\";drain (/work/main/.venv/lib/python3.11/site-packages/kombu/c.py:3) 60\n")
    stacks = profile.collapsed([raw, tmp_path / "missing.txt"])
    assert sum(stacks.values()) == 100
    assert profile.top(stacks, 2) == [("drain (kombu/c.py)", 60.0), ("execute (sqlalchemy/engine/base.py)", 30.0)]
    assert profile.top_own(stacks) == [("handle (services/routing/worker.py)", 40.0)]
    assert "| drain (kombu/c.py) | 60.0 | handle (services/routing/worker.py) | 40.0 |" in profile.report(
        "Netra (1)", {"routing": [raw]})
