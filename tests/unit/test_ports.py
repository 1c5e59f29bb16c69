"""Every fake the unit tests use stands for a real class through the same Protocol (the services' ports.py):
each member of the Protocol is on both, with the same parameters, so a fake cannot drift from what it
stands for. A fake in tests/support/ that is in no pair here fails too."""
import importlib
import inspect
import pkgutil

import pytest
from minio import Minio

import tests.support
from services.common.outbox import PublishesBatches
from services.common.publishers import BatchPublisher, Publisher
from services.common.worker import Resends
from services.desk import ports as desk
from services.desk.disclosure.store import DisclosureStore as DeskDisclosures
from services.desk.mailer import sender
from services.desk.cases.reporter_news import UnitMail, nobody
from services.desk.cases.repository import AccountRepository, CaseRepository as DeskCases, DigestLog
from services.evidence.ports import EvidenceObjects
from services.evidence.repository import EvidenceStore
from services.intake import ports as intake
from services.intake.identity.disclosure import DisclosureStore as IntakeDisclosures
from services.intake.complaints.repository import ComplaintRepository, ComplaintWrites
from services.intake.teams.team_store import TeamStore
from services.intake.tracking.tracking_store import TrackingRepository
from services.intake.complaints.uploads import OriginalsStore
from services.notify import ports as notify
from services.notify.repository import SqlContacts, SqlDeliveries
from services.notify.smtp import SmtpConfig, SmtpSender
from services.ops.intake_records import IntakeRecords
from services.ops.ports import ComplaintRecords
from services.routing import ports as routing
from services.routing.repository import CaseRepository as RoutingCases, SqlCases
from tests.support import desk_fakes, evidence_store, intake_fakes, notify_fakes, routing_fakes, team_fakes
from tests.support import tracking_fakes


def fake(module: str, name: str):
    """A fake kept inside one unit test module (loaded by name: test modules share no fixtures)."""
    return getattr(importlib.import_module(f"tests.unit.{module}"), name)


# (Protocol, the real class or a real instance, [its fakes])
PAIRS = [
    (intake.Complaints, ComplaintRepository, [intake_fakes.FakeRepository]),
    (intake.ComplaintWrites, ComplaintWrites(None), [intake_fakes.FakeComplaintWrites(intake_fakes.FakeRepository())]),
    (intake.Originals, OriginalsStore, [intake_fakes.FakeStore]),
    (intake.TrackingRecords, TrackingRepository, [tracking_fakes.FakeTracking]),
    (intake.TeamRecords, TeamStore, [team_fakes.FakeTeamStore]),
    (intake.Disclosures, IntakeDisclosures, []),
    (notify.Deliveries, SqlDeliveries, [notify_fakes.FakeDeliveries]),
    (notify.Contacts, SqlContacts, [notify_fakes.FakeContacts]),
    (notify.Sender, SmtpSender, [notify_fakes.FakeSender]),
    (routing.Cases, SqlCases, [routing_fakes.FakeCases]),
    (routing.CaseTransaction, RoutingCases(None), [routing_fakes._Repository(routing_fakes.FakeCases())]),
    (EvidenceObjects, EvidenceStore, [evidence_store.FakeEvidenceStore]),
    (desk.CaseWork, DeskCases, [desk_fakes.FakeCases]),
    (desk.DueCases, DeskCases, [fake("test_desk_daily", "FakeCases")]),
    (desk.DigestDays, DigestLog, [fake("test_desk_daily", "FakeDigestLog")]),
    (desk.Accounts, AccountRepository, [desk_fakes.FakeAccounts]),
    (desk.Disclosures, DeskDisclosures, []),
    (desk.Send, sender(SmtpConfig("127.0.0.1", 1025)), [fake("test_desk_digest", "FakeMailer")]),
    (desk.Tell, UnitMail.tell, [nobody]),
    (desk.EvidenceObjects, Minio, []),
    (Resends, Publisher, [fake("test_worker_handle", "FakePublisher"), fake("test_metrics", "FakePublisher")]),
    (PublishesBatches, BatchPublisher, [fake("test_intake_relay", "FakeBroker")]),
    (ComplaintRecords, IntakeRecords, [fake("test_reconcile", "FakeRecords")]),
]
# Not held here, as they stand for no class of Netra's: FakeMessage (test_worker_handle, test_metrics) is a kombu
# message, FakeStore in test_benchmark_parts the MinIO client bench/ uses.


def methods(protocol) -> list[str]:
    return [name for name, value in vars(protocol).items()
            if callable(value) and (not name.startswith("_") or name == "__call__")]


def attributes(protocol) -> list[str]:
    return list(getattr(protocol, "__annotations__", {}))


def parameters(implementation, name: str) -> list[inspect.Parameter]:
    """The member's parameters without self; a plain function stands for its own __call__."""
    member = implementation if name == "__call__" and inspect.isfunction(implementation) \
        else getattr(implementation, name)
    return [p for p in inspect.signature(member).parameters.values() if p.name != "self"]


def differences(protocol, implementation) -> list[str]:
    found = [f"no attribute {name}" for name in attributes(protocol) if not hasattr(implementation, name)]
    for name in methods(protocol):
        if name != "__call__" and not hasattr(implementation, name) or \
                name == "__call__" and not callable(implementation):
            found.append(f"no method {name}")
            continue
        wanted, has = parameters(protocol, name), {p.name: p for p in parameters(implementation, name)}
        found += [f"{name}: parameter {p.name} missing or of another kind" for p in wanted
                  if p.name not in has or has[p.name].kind != p.kind]
        named = {p.name for p in wanted}
        found += [f"{name}: parameter {p.name} is required but not in the Protocol" for p in has.values()
                  if p.name not in named and p.default is p.empty
                  and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return found


def label(pair) -> str:
    return f"{pair[0].__module__.split('.')[1]}.{pair[0].__qualname__}"


@pytest.mark.parametrize("pair", PAIRS, ids=label)
def test_the_real_class_satisfies_its_protocol(pair):
    protocol, real, _ = pair
    assert differences(protocol, real) == []


@pytest.mark.parametrize("pair", [pair for pair in PAIRS if pair[2]], ids=label)
def test_each_fake_satisfies_the_same_protocol(pair):
    protocol, _, fakes = pair
    assert {getattr(f, "__qualname__", type(f).__qualname__): differences(protocol, f) for f in fakes} == \
        {getattr(f, "__qualname__", type(f).__qualname__): [] for f in fakes}


def test_a_fake_that_drifts_from_its_protocol_is_caught():
    class Drifted:
        def claim(self, delivery, when):  # renamed parameter
            pass
    assert differences(notify.Deliveries, Drifted) == ["claim: parameter now missing or of another kind",
                                                       "claim: parameter when is required but not in the Protocol",
                                                       "no method record"]


def test_every_fake_in_tests_support_is_held_to_a_protocol():
    held = {type(f) if not inspect.isclass(f) else f for _, _, fakes in PAIRS for f in fakes}
    support = [importlib.import_module(f"tests.support.{info.name}")
               for info in pkgutil.iter_modules(tests.support.__path__)]
    fakes = {cls for module in support for name, cls in vars(module).items()
             if inspect.isclass(cls) and name.startswith("Fake") and cls.__module__ == module.__name__}
    assert fakes - held == set()
