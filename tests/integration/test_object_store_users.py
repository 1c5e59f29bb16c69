"""The services' MinIO users can do their work and nothing more: no version deletes, no other buckets."""
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from minio.commonconfig import GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention

from services.common.storage import EVIDENCE_BUCKET, STAGING_BUCKET, create_bucket_once, make_s3
from services.provision import ProvisionSettings, provision

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def users():
    """A fresh application user and reader, provisioned exactly as a deployment does."""
    suffix = uuid.uuid4().hex[:8]
    settings = ProvisionSettings(s3_access_key=f"app-{suffix}", s3_secret_key=f"app-secret-{suffix}",
                                 s3_reader_access_key=f"reader-{suffix}", s3_reader_secret_key=f"rd-secret-{suffix}")
    assert provision(settings) == [settings.s3_access_key, settings.s3_reader_access_key]
    provision(settings)  # a second run changes nothing and does not fail

    def client(key, secret):
        return make_s3(settings.s3_endpoint, key, secret, settings.s3_region)
    return (client(settings.s3_access_key, settings.s3_secret_key),
            client(settings.s3_reader_access_key, settings.s3_reader_secret_key))


def put(s3, bucket, key, data=b"bukti", **kwargs):
    return s3.put_object(bucket, key, io.BytesIO(data), len(data), **kwargs)


def test_the_application_user_stages_archives_and_cleans_up(users, s3):
    app, _ = users
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    key = f"test-users/{uuid.uuid4()}"
    put(app, STAGING_BUCKET, key)
    assert app.get_object(STAGING_BUCKET, key).read() == b"bukti"
    app.remove_object(STAGING_BUCKET, key)
    until = datetime.now(timezone.utc) + timedelta(days=1)
    written = put(app, EVIDENCE_BUCKET, key, retention=Retention(GOVERNANCE, until))
    assert app.stat_object(EVIDENCE_BUCKET, key).version_id == written.version_id


def test_the_application_user_cannot_delete_a_version_or_bypass_retention(users):
    app, _ = users
    key = f"test-users/{uuid.uuid4()}"
    written = put(app, EVIDENCE_BUCKET, key, retention=Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=1)))
    with pytest.raises(S3Error) as refused:
        app.remove_object(EVIDENCE_BUCKET, key, version_id=written.version_id)
    assert refused.value.code == "AccessDenied"


def test_the_application_user_sees_no_other_bucket(users, s3):
    app, _ = users
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
    app, reader = users
    key = f"test-users/{uuid.uuid4()}"
    put(app, EVIDENCE_BUCKET, key, data=b"tangkapan layar")
    assert reader.get_object(EVIDENCE_BUCKET, key).read() == b"tangkapan layar"
    for attempt in (lambda: put(reader, EVIDENCE_BUCKET, f"{key}-2"), lambda: reader.get_object(STAGING_BUCKET, "x")):
        with pytest.raises(S3Error) as refused:
            attempt()
        assert refused.value.code == "AccessDenied"
