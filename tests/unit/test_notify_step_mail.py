"""The mail to the unit that owns the next step of a case: To that unit only, the step, what the step
before handed on and its deadline in words, a link to the desk only, and never anything of the reporter."""
import copy

from jinja2 import meta

from services.notify.handlers import Mailer
from services.notify.mail import _templates
from services.notify.step_mail import mail_step_unit
from tests.support.contracts import example
from tests.support.notify_fakes import FakeDeliveries, FakeSender

REPORTER = ("Siti Pelapor Rahasia", "siti.pelapor@example.com", "081234567890", "203.0.113.9")


def sent_for(event):
    sender, published = FakeSender(), []
    mailer = Mailer(FakeDeliveries(), sender, published.append, "Netra <netra@localhost>")
    mail_step_unit(event, mailer, desk_url="https://desk.netra.test")
    mail_step_unit(event, mailer, desk_url="https://desk.netra.test")  # redelivered: not mailed twice
    return sender.sent, published


def test_the_next_steps_unit_gets_one_mail_with_the_step_the_outcome_and_the_deadline():
    event = copy.deepcopy(example("case.step_opened"))
    event["payload"]["step"]["deadline"] = {"clock": "ppk-rekomendasi", "due": "2026-11-18", "days": 10,
                                            "day_kind": "calendar", "start": "2026-11-08", "estimate": False}
    [mail], published = sent_for(event)
    assert mail["To"].addresses[0].addr_spec == "bkn-kanreg-12@unit.netra.invalid" and mail["Cc"] is None
    assert "langkah 2 dari 4" in mail["Subject"] and "NTR-2026-1403-00123" in mail["Subject"]
    text = " ".join(mail.get_body(("plain",)).get_content().split())
    for expected in ("Bawaslu Kabupaten Bengkalis telah menyelesaikan langkahnya dan menyerahkan rekomendasi",
                     "Hukuman disiplin sedang (PP 94/2021)", "18 November 2026 (10 hari kalender",
                     "https://desk.netra.test/desk/kasus/3f2b8c1e-5d4a-4e6f-9a1b-2c3d4e5f6a7b"):
        assert expected in text, expected
    assert [e["payload"]["purpose"] for e in published] == ["step", "step"]  # the same notification.sent


def test_the_step_mail_carries_nothing_of_the_reporter_even_when_an_event_does():
    event = copy.deepcopy(example("case.step_opened"))
    event["payload"]["reporter"] = {"name": REPORTER[0], "email": REPORTER[1], "phone": REPORTER[2], "ip": REPORTER[3]}
    [mail], _ = sent_for(event)
    for value in REPORTER:
        assert value not in mail.as_string() and value not in mail.get_body(("plain",)).get_content()


def test_the_step_templates_use_no_reporter_variable():
    for name in ("unit_step.txt", "unit_step.html"):
        source = _templates.loader.get_source(_templates, name)[0]
        assert meta.find_undeclared_variables(_templates.parse(source)) <= {
            "unit_name", "case_number", "tracking_code", "number", "steps", "task", "previous_name", "outcome",
            "outcome_words", "deadline", "basis", "desk_link", "title"}
