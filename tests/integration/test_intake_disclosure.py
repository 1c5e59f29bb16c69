"""intake's side of an approved disclosure on real PostgreSQL: the identity, sealed at submission to the desk's
disclosure key, goes out once in identity.disclosed with its line in the identity access log; intake itself
cannot open it; an anonymous complaint's answer says there is nothing to give."""
import copy
import json

from sqlalchemy import select

from services.common.sealing import Opener, new_key_pair
from services.intake.app import create_app
from services.intake.identity.disclosure import DisclosureStore, release_identity
from services.intake.settings import IntakeSettings
from services.intake.tables import complaints, identity_access_log, outbox, timeline
from tests.support.complaints import complaint
from tests.support.contracts import assert_matches_example, example
from tests.support.migrated import migrated_database

database_url = migrated_database("intake")  # services never create their tables
ADDRESS = "Jl. Kenanga No. 3, Bengkalis"


def submit(database_url, disclosure_public: str, anonymous: bool = False) -> str:
    settings = IntakeSettings(database_url=database_url, disclosure_public_key=disclosure_public,
                              rate_limits_enabled=False)
    document = complaint()
    document["reporter"] = {**document["reporter"], "address": ADDRESS, "anonymous": anonymous}
    answer = create_app(settings).test_client().post("/api/v1/complaints", json=document)
    assert answer.status_code == 202, answer.json
    return answer.json["tracking_code"]


def approval(engine, tracking_code: str) -> dict:
    with engine.connect() as conn:
        complaint_id = conn.execute(select(complaints.c.complaint_id)
                                    .where(complaints.c.tracking_code == tracking_code)).scalar_one()
    event = copy.deepcopy(example("identity.disclosure_approved"))
    event["payload"].update(complaint_id=complaint_id, tracking_code=tracking_code)
    return event


def answers(engine) -> list[dict]:
    with engine.connect() as conn:
        bodies = conn.execute(select(outbox.c.body).where(outbox.c.event_type == "identity.disclosed")).scalars()
        return [json.loads(body) for body in bodies]


def access_log(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(identity_access_log))]


def test_an_approval_releases_the_sealed_identity_once_and_logs_it(database_url, engine):
    public, private = new_key_pair()
    code = submit(database_url, public)
    event = approval(engine, code)
    release_identity(event, DisclosureStore(engine))
    release_identity(event, DisclosureStore(engine))  # redelivered: nothing twice
    [answer] = answers(engine)
    assert_matches_example(answer, "identity.disclosed")
    assert answer["payload"]["outcome"] == "released"
    identity = Opener.from_texts([private]).open(answer["payload"]["sealed_identity"])
    assert identity["name"] == "Siti Rahmawati" and identity["address"] == ADDRESS
    assert "Siti" not in json.dumps(answer) and ADDRESS not in json.dumps(answer)
    [line] = access_log(engine)
    assert line["tracking_code"] == code and line["outcome"] == "desk_released"
    assert "Bawaslu Kabupaten Bengkalis" in line["who"] and "Pasal 454" in line["reason"]
    with engine.connect() as conn:
        [(status, detail)] = conn.execute(select(timeline.c.status, timeline.c.detail)
                                          .where(timeline.c.status == "identity_disclosed")).all()
    assert detail.startswith("Kepada Bawaslu Kabupaten Bengkalis; dasar hukum: UU 7/2017 Pasal 454")


def test_an_anonymous_complaint_has_nothing_to_release(database_url, engine):
    code = submit(database_url, new_key_pair()[0], anonymous=True)
    release_identity(approval(engine, code), DisclosureStore(engine))
    [answer] = answers(engine)
    assert answer["payload"]["outcome"] == "no_identity" and answer["payload"]["sealed_identity"] is None
    assert access_log(engine)[0]["outcome"] == "desk_no_identity"
    with engine.connect() as conn:
        assert not conn.execute(select(timeline).where(timeline.c.status == "identity_disclosed")).all()
