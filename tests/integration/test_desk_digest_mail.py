"""The daily digest through the real command, the desk's PostgreSQL and the loopback SMTP mailbox: one mail
per unit with cases due, none on a rerun the same day, none on a day off."""
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from services.desk.app import create_app
from services.desk.cases.arrivals import case_arrived
from services.desk.settings import DeskSettings
from tests.support.complaints import png_bytes
from tests.support.desk import routed
from tests.support.desk import escalate
from tests.support.servers import sentinel
from tests.support.migrated import migrated_database
from tests.support.servers import body_text



database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = create_app(DeskSettings(database_url=database_url, desk_url="http://127.0.0.1:8090"), store=s3)
    service = app.extensions["netra.desk"]
    events = [routed("bkpsdm-14.03", "14.03", png_bytes(seed=1)), routed("bkpsdm-14.03", "14.03", png_bytes(seed=2)),
              routed("bkpsdm-62.10", "62.10", png_bytes(seed=3))]
    for event in events:
        case_arrived(event, service.cases)
    app.codes = [event["payload"]["tracking_code"] for event in events]
    app.due = service.cases.get(events[0]["payload"]["case_id"])["due_date"]
    return app


def digest(database_url, day) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETRA_DATABASE_URL": database_url, "NETRA_SMTP_HOST": "127.0.0.1", "NETRA_SMTP_PORT": "1025",
           "NETRA_DESK_URL": "https://meja.netra.example", "NETRA_MAIL_FROM": "Netra Meja <meja@netra.example>"}
    return subprocess.run([sys.executable, "-m", "services.desk.cli", "digest", "--date", day.isoformat()],
                          env=env, capture_output=True, text=True, timeout=60)


def test_one_digest_per_unit_with_cases_due_and_none_on_a_rerun(desk, database_url, mailbox):
    first = digest(database_url, desk.due)
    assert first.returncode == 0, first.stderr
    assert "2 ringkasan dikirim" in first.stdout
    bengkalis = mailbox.wait_for(desk.codes[0])
    assert len(bengkalis) == 1 and desk.codes[1] in body_text(bengkalis[0])
    assert bengkalis[0]["To"].endswith("<bkpsdm-14.03@unit.netra.invalid>")
    assert "hari ini" in body_text(bengkalis[0]) and "https://meja.netra.example/desk/kasus/" in body_text(bengkalis[0])
    gunung_mas = mailbox.wait_for(desk.codes[2])
    assert len(gunung_mas) == 1 and desk.codes[0] not in body_text(gunung_mas[0])
    again = digest(database_url, desk.due)
    assert again.returncode == 0 and "0 ringkasan dikirim" in again.stdout and "2 sudah dikirim" in again.stdout
    sentinel(mailbox)
    assert [len(mailbox.matching(code)) for code in desk.codes] == [1, 1, 1]


def test_nothing_is_sent_on_a_day_off(desk, database_url, mailbox):
    sunday = desk.due + timedelta(days=6 - desk.due.weekday())
    answer = digest(database_url, sunday)
    assert answer.returncode == 0 and "hari libur" in answer.stdout
    sentinel(mailbox)
    assert [len(mailbox.matching(code)) for code in desk.codes] == [0, 0, 0]
    later = digest(database_url, sunday + timedelta(days=1))  # a Monday: the cases are overdue by now
    assert later.returncode == 0, later.stderr
    assert "terlambat" in body_text(mailbox.wait_for(desk.codes[0])[0]).lower()


def test_long_overdue_cases_go_to_the_province_then_to_the_centre_once_a_day(desk, database_url, mailbox):
    from services.common.workdays import add_working_days
    on_time = escalate(database_url, add_working_days(desk.due, 4))
    assert on_time.returncode == 0 and "0 eskalasi dikirim" in on_time.stdout, on_time.stderr
    first = escalate(database_url, add_working_days(desk.due, 5))
    sent_to = first.stdout.partition("(")[2].partition(")")[0].split(", ")
    assert first.returncode == 0 and "bkd-14" in sent_to and "bkn" not in sent_to, first.stdout
    province = mailbox.wait_for(desk.codes[0])
    assert [mail["To"] for mail in province] == ["Badan Kepegawaian Daerah Provinsi Riau <bkd-14@unit.netra.invalid>"]
    assert desk.codes[1] in body_text(province[0]) and desk.codes[2] not in body_text(province[0])
    assert "Eskalasi" in province[0]["Subject"] and "Kabupaten Bengkalis" in body_text(province[0])
    again = escalate(database_url, add_working_days(desk.due, 5))
    assert "0 eskalasi dikirim" in again.stdout and "sudah dikirim" in again.stdout
    later = escalate(database_url, add_working_days(desk.due, 10))
    assert later.returncode == 0 and {"bkn", "bkd-14"} <= set(later.stdout.partition("(")[2].partition(")")[0]
                                                               .split(", ")), later.stdout
    sentinel(mailbox)
    to = sorted(mail["To"] for mail in mailbox.matching(desk.codes[0]))
    assert to == ["Badan Kepegawaian Daerah Provinsi Riau <bkd-14@unit.netra.invalid>"] * 2 + \
        ["Badan Kepegawaian Negara <bkn@unit.netra.invalid>"]


def test_the_digest_reaches_the_units_officers_at_their_own_addresses(desk, database_url, mailbox):
    """Petugas and kepala of the unit, enabled, each at the address of their account; not an admin, not a
    disabled account, not another unit's officer."""
    from services.common.db import make_engine
    from services.desk.cases.repository import AccountRepository
    accounts, tag = AccountRepository(make_engine(database_url)), uuid.uuid4().hex[:6]
    people = {"petugas": ("petugas", "bkpsdm-14.03", False), "kepala": ("kepala", "bkpsdm-14.03", False),
              "admin": ("admin", "bkpsdm-14.03", False), "keluar": ("petugas", "bkpsdm-14.03", True),
              "tetangga": ("petugas", "bkpsdm-14.71", False)}
    for who, (role, unit, disabled) in people.items():
        accounts.add(username=f"{who}-{tag}", name=who.title(), email=f"{who}-{tag}@bkpsdm.example.go.id",
                     unit_id=unit, role=role, password_hash="x", totp_confirmed=True, disabled=disabled,
                     failed_logins=0)
    done = digest(database_url, desk.due)
    assert done.returncode == 0, done.stderr
    [mail] = mailbox.wait_for(desk.codes[0])
    to = mail["To"]
    assert "bkpsdm-14.03@unit.netra.invalid" in to
    assert f"petugas-{tag}@bkpsdm.example.go.id" in to and f"kepala-{tag}@bkpsdm.example.go.id" in to
    assert not any(f"{who}-{tag}" in to for who in ("admin", "keluar", "tetangga"))
