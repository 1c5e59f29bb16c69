"""The services' MinIO users can do their work and nothing more: no version deletes, no other buckets; intake
may only put originals, with their retention, under netra-evidence/complaints/, and the desk's documents user
only the PPK's documents under netra-evidence/complaints/*/documents/."""
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from minio.commonconfig import GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once, make_s3
from services.desk.chain.documents import DocumentArchive
from services.intake.complaints.uploads import OriginalsStore
from services.provision import ProvisionSettings, provision



@pytest.fixture(scope="module")
def users():
    """A fresh application user, intake user, reader and documents user, provisioned as a deployment does."""
    suffix = uuid.uuid4().hex[:8]
    settings = ProvisionSettings(s3_access_key=f"app-{suffix}", s3_secret_key=f"app-secret-{suffix}",
                                 s3_intake_access_key=f"intake-{suffix}", s3_intake_secret_key=f"in-secret-{suffix}",
                                 s3_reader_access_key=f"reader-{suffix}", s3_reader_secret_key=f"rd-secret-{suffix}",
                                 s3_documents_access_key=f"documents-{suffix}",
                                 s3_documents_secret_key=f"doc-secret-{suffix}")
    assert provision(settings) == [settings.s3_access_key, settings.s3_intake_access_key,
                                   settings.s3_reader_access_key, settings.s3_documents_access_key]
    provision(settings)  # a second run changes nothing and does not fail

    def client(key, secret):
        return make_s3(settings.s3_endpoint, key, secret, settings.s3_region)
    return (client(settings.s3_access_key, settings.s3_secret_key),
            client(settings.s3_reader_access_key, settings.s3_reader_secret_key),
            client(settings.s3_intake_access_key, settings.s3_intake_secret_key),
            client(settings.s3_documents_access_key, settings.s3_documents_secret_key))


def put(s3, bucket, key, data=b"bukti", **kwargs):
    return s3.put_object(bucket, key, io.BytesIO(data), len(data), **kwargs)


def test_the_application_user_archives_and_reads_evidence(users, s3):
    app, *_ = users
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    key = f"test-users/{uuid.uuid4()}"
    until = datetime.now(timezone.utc) + timedelta(days=1)
    written = put(app, EVIDENCE_BUCKET, key, retention=Retention(GOVERNANCE, until))
    assert app.stat_object(EVIDENCE_BUCKET, key).version_id == written.version_id
    assert app.get_object(EVIDENCE_BUCKET, key).read() == b"bukti"


def test_the_application_user_cannot_delete_a_version_or_bypass_retention(users):
    app, *_ = users
    key = f"test-users/{uuid.uuid4()}"
    written = put(app, EVIDENCE_BUCKET, key, retention=Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=1)))
    with pytest.raises(S3Error) as refused:
        app.remove_object(EVIDENCE_BUCKET, key, version_id=written.version_id)
    assert refused.value.code == "AccessDenied"


def test_the_application_user_sees_no_other_bucket(users, s3):
    app, *_ = users
    other = f"not-netra-{uuid.uuid4().hex[:8]}"
    s3.make_bucket(other)
    try:
        for attempt in (lambda: put(app, other, "x"), lambda: app.make_bucket(f"{other}-2")):
            with pytest.raises(S3Error) as refused:
                attempt()
            assert refused.value.code == "AccessDenied"
        assert other not in {bucket.name for bucket in app.list_buckets()}
    finally:
        s3.remove_bucket(other)


def test_the_reader_reads_evidence_and_writes_nothing(users, s3):
    app, reader, *_ = users
    key = f"test-users/{uuid.uuid4()}"
    put(app, EVIDENCE_BUCKET, key, data=b"tangkapan layar")
    assert reader.get_object(EVIDENCE_BUCKET, key).read() == b"tangkapan layar"
    with pytest.raises(S3Error) as refused:
        put(reader, EVIDENCE_BUCKET, f"{key}-2")
    assert refused.value.code == "AccessDenied"


def test_intake_puts_an_original_once_with_its_retention_and_can_do_nothing_else(users, s3):
    _, _, intake, _ = users
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    store = OriginalsStore(intake, 1, GOVERNANCE)
    key = f"complaints/{uuid.uuid4()}/{'ab' * 32}.png"
    assert store.ready()
    store.put_new(key, b"tangkapan layar", store.retention())
    store.put_new(key, b"a replacement", store.retention())  # the key is taken: the first stays, no error
    [version] = s3.list_objects(EVIDENCE_BUCKET, prefix=key, include_version=True)
    assert s3.get_object(EVIDENCE_BUCKET, key).read() == b"tangkapan layar"
    assert s3.get_object_retention(EVIDENCE_BUCKET, key).mode == GOVERNANCE
    for attempt in (lambda: intake.get_object(EVIDENCE_BUCKET, key),
                    lambda: intake.stat_object(EVIDENCE_BUCKET, key),
                    lambda: intake.remove_object(EVIDENCE_BUCKET, key),
                    lambda: intake.remove_object(EVIDENCE_BUCKET, key, version_id=version.version_id),
                    lambda: list(intake.list_objects(EVIDENCE_BUCKET, prefix="complaints/")),
                    lambda: put(intake, EVIDENCE_BUCKET, f"test-users/{uuid.uuid4()}"),
                    lambda: intake.make_bucket(f"not-netra-{uuid.uuid4().hex[:8]}")):
        with pytest.raises(S3Error) as refused:
            attempt()
        assert refused.value.code in ("AccessDenied", "Forbidden"), refused.value.code



def test_the_desk_puts_a_decree_once_locked_under_documents_and_can_do_nothing_else(users, s3):
    documents = users[3]
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    archive = DocumentArchive(documents, 1, GOVERNANCE)
    complaint = str(uuid.uuid4())
    filed = archive.put(complaint, b"%PDF-1.7 keputusan")
    assert filed["key"] == f"complaints/{complaint}/documents/{filed['sha256']}.pdf"
    assert s3.get_object(EVIDENCE_BUCKET, filed["key"]).read() == b"%PDF-1.7 keputusan"
    assert s3.get_object_retention(EVIDENCE_BUCKET, filed["key"]).mode == GOVERNANCE
    for attempt in (lambda: documents.get_object(EVIDENCE_BUCKET, filed["key"]),
                    lambda: documents.remove_object(EVIDENCE_BUCKET, filed["key"]),
                    lambda: put(documents, EVIDENCE_BUCKET, f"complaints/{complaint}/{'cd' * 32}.png"),
                    lambda: put(documents, EVIDENCE_BUCKET, f"complaints/{complaint}/manifest.json"),
                    lambda: list(documents.list_objects(EVIDENCE_BUCKET, prefix="complaints/"))):
        with pytest.raises(S3Error) as refused:
            attempt()
        assert refused.value.code in ("AccessDenied", "Forbidden"), refused.value.code
