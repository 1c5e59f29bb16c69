"""Contact deletion against the real PostgreSQL and SMTP: `python -m services.notify.cli purge-contacts`
deletes the contacts of cases closed longer ago than NETRA_CONTACT_RETENTION_DAYS, keeps the others, and a
later status mail for a deleted contact is not sent."""
import os
import subprocess
import sys
import uuid

from sqlalchemy import select

from services.notify.handlers import mail_reporter_status
from services.notify.repository import contact_retention, deliveries, reporter_contacts
from tests.support.system import ROOT
from tests.support.migrated import migrated_database
from tests.support.notify_mail import mailer, reporter, reporters, sentinel_mail, status

database_url = migrated_database("notify")  # services never create their tables
def purge(database_url: str, days: int = 90) -> str:
    env = {**os.environ, "NETRA_DATABASE_URL": database_url, "NETRA_CONTACT_RETENTION_DAYS": str(days)}
    done = subprocess.run([sys.executable, "-m", "services.notify.cli", "purge-contacts"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def contact(engine, complaint_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(reporter_contacts.c.sealed_contact)
                            .where(reporter_contacts.c.complaint_id == complaint_id)).scalar()


def test_contacts_of_cases_closed_long_ago_are_deleted_and_the_others_stay(engine, database_url, mailbox):
    old = reporter(engine, [(3, "tidak_terbukti", 120), (4, "selesai", 100)])
    recent = reporter(engine, [(4, "selesai", 10)])
    still_open = reporter(engine, [(3, "dalam_pemeriksaan", 200)])
    reopened = reporter(engine, [(4, "selesai", 150), (5, "diverifikasi", 140)])
    late_old_event = reporter(engine, [(6, "selesai", 95), (5, "dalam_pemeriksaan", 120)])
    anonymous_id = str(uuid.uuid4())
    reporters(engine).contacts.keep(anonymous_id, None)

    assert purge(database_url).startswith("deleted 2 reporter contacts")
    assert contact(engine, old[0]) is None and contact(engine, late_old_event[0]) is None
    for kept in (recent, still_open, reopened):
        assert contact(engine, kept[0]) is not None
    assert purge(database_url).startswith("deleted 0 ")
    assert purge(database_url, days=5).startswith("deleted 1 ")  # a shorter retention reaches the recent one
    with engine.connect() as conn:
        purged = {row.complaint_id for row in conn.execute(select(contact_retention.c.complaint_id)
                                                           .where(contact_retention.c.purged_at.is_not(None)))}
    assert purged == {old[0], late_old_event[0], recent[0]}


def test_a_status_mail_for_a_deleted_contact_is_not_sent(engine, database_url, mailbox):
    gone_id, gone_address = reporter(engine, [(4, "selesai", 100)])
    kept_id, kept_address = reporter(engine, [(3, "dalam_pemeriksaan", 1)])
    purge(database_url)
    for complaint_id in (gone_id, kept_id):
        mail_reporter_status(status(complaint_id, 7, "diverifikasi", 0), mailer(engine, lambda e: None),
                             reporters(engine))
    sentinel_mail(mailbox)
    assert len(mailbox.matching(gone_address)) == 1  # the "selesai" mail before the deletion, nothing after
    assert len(mailbox.matching(kept_address)) == 2  # its first status mail and this one
    with engine.connect() as conn:
        gone = conn.execute(select(deliveries.c.purpose).where(deliveries.c.complaint_id == gone_id)).all()
    assert [row.purpose for row in gone] == ["status_changed"]  # only the one sent before the deletion
    assert reporters(engine).contacts.purged(gone_id) and not reporters(engine).contacts.purged(kept_id)
