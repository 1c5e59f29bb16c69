"""The mail to the unit that owns the next step of a case (case.step_opened): one per step, To that unit
only; the units in copy were told of the case when it was routed. Nothing about the reporter is read."""
from __future__ import annotations

import structlog

from services.common.envelope import read_payload

from .delivery import Delivery
from .events import StepOpened
from .mail import step_message_id, unit_step_message
from .sending import Mailer, deliver

log = structlog.get_logger("netra.notify")


def mail_step_unit(event: dict, mailer: Mailer, *, desk_url: str) -> None:
    opened = read_payload(StepOpened, event)
    unit, number = opened["units"]["primary"], opened["step"]["number"]
    delivery = Delivery(opened["complaint_id"], "unit", "step", step_message_id(opened["case_id"], number),
                        case_id=opened["case_id"], unit_id=unit["unit_id"], ref=f"step-{number}")
    outcome = deliver(delivery, lambda: unit_step_message(opened, desk_url, mailer.mail_from), mailer,
                      server_detail=True)
    log.info("notify.step_mail", outcome=outcome, case_id=opened["case_id"], unit_id=unit["unit_id"], step=number)
