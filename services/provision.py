"""Least-privilege object-store users, created once per deployment before the services start.

`python -m services.provision` signs in to MinIO with its root credentials (`NETRA_S3_ROOT_USER`,
`NETRA_S3_ROOT_PASSWORD`, which no service holds) and makes sure of four users and their policies:
  - the application user (`NETRA_S3_ACCESS_KEY`, the evidence service): read and write in `netra-evidence`,
    create it with object lock; it cannot delete an object version, bypass a retention, change a policy,
    or touch any other bucket;
  - intake's user (`NETRA_S3_INTAKE_ACCESS_KEY`): put objects, with their retention, under
    `netra-evidence/complaints/` and nothing else: no read, no delete, no other key or bucket (it may ask
    the bucket's location, its readiness check, which reads no object);
  - the reader (`NETRA_S3_READER_ACCESS_KEY`): read-only on `netra-evidence`, for whoever shows evidence
    to units (the desk);
  - the desk's documents user (`NETRA_S3_DOCUMENTS_ACCESS_KEY`): put objects, with their retention, under
    `netra-evidence/complaints/*/documents/` (the PPK's decree and BAP as filed) and nothing else.
Running it again changes nothing that is already right.
"""
from __future__ import annotations

import json
from urllib.parse import urlparse

import structlog
from minio.credentials import StaticProvider
from minio.minioadmin import MinioAdmin
from pydantic import Field, field_validator

from services.common.logs import configure_logging
from services.common.settings import PREFIX, StoreSettings, load_settings
from services.common.storage import EVIDENCE_BUCKET

log = structlog.get_logger("netra.provision")
APP_POLICY, INTAKE_POLICY, READER_POLICY = "netra-app", "netra-intake", "netra-reader"
DOCUMENTS_POLICY = "netra-documents"


def bucket_arns(*buckets: str) -> list[str]:
    return [f"arn:aws:s3:::{name}" for name in buckets] + [f"arn:aws:s3:::{name}/*" for name in buckets]


def policy(statements: list[tuple[list[str], list[str]]]) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resources} for actions, resources in statements]}


APP = policy([
    (["s3:CreateBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketObjectLockConfiguration",
      "s3:PutBucketObjectLockConfiguration", "s3:GetBucketVersioning", "s3:PutBucketVersioning"],
     bucket_arns(EVIDENCE_BUCKET)),
    (["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetObjectRetention", "s3:PutObjectRetention",
      "s3:GetObjectLegalHold", "s3:PutObjectLegalHold"], bucket_arns(EVIDENCE_BUCKET)),
])
INTAKE = policy([
    (["s3:GetBucketLocation"], [f"arn:aws:s3:::{EVIDENCE_BUCKET}"]),
    (["s3:PutObject", "s3:PutObjectRetention"], [f"arn:aws:s3:::{EVIDENCE_BUCKET}/complaints/*"]),
])
DOCUMENTS = policy([
    (["s3:GetBucketLocation"], [f"arn:aws:s3:::{EVIDENCE_BUCKET}"]),
    (["s3:PutObject", "s3:PutObjectRetention"], [f"arn:aws:s3:::{EVIDENCE_BUCKET}/complaints/*/documents/*"]),
])
READER = policy([
    (["s3:ListBucket", "s3:GetBucketLocation"], bucket_arns(EVIDENCE_BUCKET)),
    (["s3:GetObject", "s3:GetObjectVersion"], bucket_arns(EVIDENCE_BUCKET)),
])


class ProvisionSettings(StoreSettings):
    SERVICE = "provision"

    s3_root_user: str = Field("netra-dev",
                              description="The object store's root user; only provision signs in with it, to create "
                                          "the services' users")
    s3_root_password: str = Field("netra-dev-secret", description="The password of NETRA_S3_ROOT_USER")
    s3_intake_access_key: str = Field("netra-intake",
                                      description="intake's object-store user, which may only put originals under "
                                                  "netra-evidence/complaints/ (provision creates it)")
    s3_intake_secret_key: str = Field("netra-intake-secret", description="The secret of NETRA_S3_INTAKE_ACCESS_KEY")
    s3_reader_access_key: str = Field("netra-reader",
                                      description="The desk's read-only object-store user (provision creates it)")
    s3_reader_secret_key: str = Field("netra-reader-secret", description="The secret of NETRA_S3_READER_ACCESS_KEY")
    s3_documents_access_key: str = Field("netra-documents", description=(
        "The desk's object-store user for the PPK's documents, which may only put them under "
        "netra-evidence/complaints/*/documents/ (provision creates it)"))
    s3_documents_secret_key: str = Field("netra-documents-secret",
                                         description="The secret of NETRA_S3_DOCUMENTS_ACCESS_KEY")

    @field_validator("s3_access_key", "s3_intake_access_key", "s3_reader_access_key", "s3_documents_access_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < 3:
            raise ValueError("an access key needs at least 3 characters")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.s3_reader_secret_key == "netra-reader-secret":
            problems.append(f"{PREFIX}S3_READER_SECRET_KEY: the development secret")
        if self.s3_intake_secret_key == "netra-intake-secret":
            problems.append(f"{PREFIX}S3_INTAKE_SECRET_KEY: the development secret")
        if self.s3_documents_secret_key == "netra-documents-secret":
            problems.append(f"{PREFIX}S3_DOCUMENTS_SECRET_KEY: the development secret")
        return problems


def admin(settings: ProvisionSettings) -> MinioAdmin:
    url = urlparse(settings.s3_endpoint)
    return MinioAdmin(endpoint=url.netloc, secure=url.scheme == "https", region=settings.s3_region,
                      credentials=StaticProvider(settings.s3_root_user, settings.s3_root_password))


def ensure_user(client: MinioAdmin, access_key: str, secret_key: str, policy_name: str, document: dict) -> None:
    client.policy_add(policy_name, policy=document)
    client.user_add(access_key, secret_key)  # sets the secret again if the user exists
    attached = json.loads(client.user_info(access_key)).get("policyName", "") or ""
    if policy_name not in attached.split(","):
        client.attach_policy([policy_name], user=access_key)


def provision(settings: ProvisionSettings) -> list[str]:
    if settings.s3_access_key == settings.s3_root_user:
        raise SystemExit(f"{PREFIX}S3_ACCESS_KEY is MinIO's root user: give the services their own user")
    client = admin(settings)
    ensure_user(client, settings.s3_access_key, settings.s3_secret_key, APP_POLICY, APP)
    ensure_user(client, settings.s3_intake_access_key, settings.s3_intake_secret_key, INTAKE_POLICY, INTAKE)
    ensure_user(client, settings.s3_reader_access_key, settings.s3_reader_secret_key, READER_POLICY, READER)
    ensure_user(client, settings.s3_documents_access_key, settings.s3_documents_secret_key, DOCUMENTS_POLICY,
                DOCUMENTS)
    return [settings.s3_access_key, settings.s3_intake_access_key, settings.s3_reader_access_key,
            settings.s3_documents_access_key]


def main() -> None:
    settings = load_settings(ProvisionSettings)
    configure_logging("provision", settings.log_level, settings.log_format)
    log.info("provision.object_store_users", users=provision(settings))


if __name__ == "__main__":
    main()
