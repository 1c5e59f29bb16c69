"""Creates the secrets docker-compose.yml reads, one file each under deploy/secrets/ (gitignored).

    .venv/bin/python deploy/make_secrets.py [DIRECTORY]

Random passwords (RabbitMQ's netra and netra-admin users, PostgreSQL's superuser, table owner and services'
role, MinIO's root, app, intake, reader and documents users), the database and broker URLs that carry them, the desk's session secret, and three fresh key pairs
(services.common.sealing): intake gets the public halves, notify the contact private key, the desk the
disclosure private key. The custodian's
identity private key is written to custodian-identity.keys for the custodian to take OFFLINE: no container
mounts it. A file that exists is never overwritten (rotating a key is a decision, not a side effect).
The folder is 0700; the files are 0644 because the containers' user (UID 10001) reads them through bind
mounts, which keep the host's owner.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.common.sealing import new_key_pair  # noqa: E402

DATABASES = ("intake", "routing", "notify", "desk")
# deploy/postgres-roles.sql: the owner migrates (NETRA_<SERVICE>_DATABASE_URL of `migrate`), the services
# sign in as the service role (NETRA_DATABASE_URL), which migrate grants rows but no table.
DATABASE_OWNER = "netra_owner"
DATABASE_SERVICE_ROLE = "netra_app"
BROKER_VHOST = "netra"


def password() -> str:
    return secrets.token_urlsafe(24)


def rabbitmq_hash(plain: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt."""
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + plain.encode()).digest()).decode()


def broker(app_password: str, admin_password: str, keda_password: str) -> dict[str, str]:
    """netra may use the netra vhost only (no management tags); netra-keda may only read it (KEDA's queue
    depth, Kubernetes); netra-admin is the management console's."""
    users = [{"name": "netra", "password_hash": rabbitmq_hash(app_password), "tags": []},
             {"name": "netra-keda", "password_hash": rabbitmq_hash(keda_password), "tags": []},
             {"name": "netra-admin", "password_hash": rabbitmq_hash(admin_password), "tags": ["administrator"]}]
    grant = {"configure": ".*", "write": ".*", "read": ".*", "vhost": BROKER_VHOST}
    read_only = {"configure": "^$", "write": "^$", "read": ".*", "vhost": BROKER_VHOST}
    definitions = {"users": [{**user, "hashing_algorithm": "rabbit_password_hashing_sha256"} for user in users],
                   "vhosts": [{"name": BROKER_VHOST}],
                   "permissions": [{"user": "netra", **grant}, {"user": "netra-keda", **read_only},
                                   {"user": "netra-admin", **grant}]}
    return {"amqp_url": f"amqp://netra:{app_password}@rabbitmq:5672/{BROKER_VHOST}",
            "keda_amqp_url": f"amqp://netra-keda:{keda_password}@rabbitmq:5672/{BROKER_VHOST}",
            "rabbitmq_admin_password": admin_password,
            "rabbitmq_definitions.json": json.dumps(definitions, indent=2)}


def database(superuser_password: str, owner_password: str, service_password: str) -> dict[str, str]:
    """PostgreSQL's superuser (the postgres container only), the owner's URLs (migrate) and the services'."""
    def url(role: str, password: str, name: str) -> str:
        return f"postgresql+psycopg://{role}:{password}@postgres:5432/netra_{name}"
    services = {f"{name}_database_url": url(DATABASE_SERVICE_ROLE, service_password, name) for name in DATABASES}
    owner = {f"{name}_owner_database_url": url(DATABASE_OWNER, owner_password, name) for name in DATABASES}
    return {"postgres_password": superuser_password, "postgres_owner_password": owner_password,
            "postgres_service_password": service_password, **services, **owner}


def key_pairs() -> list[dict[str, str]]:
    """Each key pair its own group: a release that adds a pair (the disclosure pair came after the others)
    writes only that pair, and never asks an operator to replace keys that existing data was sealed to."""
    identity_public, identity_private = new_key_pair()
    contact_public, contact_private = new_key_pair()
    disclosure_public, disclosure_private = new_key_pair()
    return [{"identity_public_key": identity_public,
             "custodian-identity.keys": f"# the custodian's identity key: move it offline\n{identity_private}"},
            {"contact_public_key": contact_public, "contact_private_keys": contact_private},
            {"disclosure_public_key": disclosure_public, "disclosure_private_keys": disclosure_private}]


def groups() -> list[dict[str, str]]:
    """Files that must be made together, because one holds what another checks."""
    return [broker(password(), password(), password()), database(password(), password(), password()), *key_pairs(),
            {"s3_root_password": password()}, {"s3_app_secret_key": password()}, {"s3_intake_secret_key": password()},
            {"s3_reader_secret_key": password()}, {"s3_documents_secret_key": password()}, {"desk_session_secret": secrets.token_urlsafe(48)},
            {"rate_limit_secret": secrets.token_urlsafe(48)}]


def make_secrets(directory: Path) -> list[str]:
    """Writes every missing group; returns the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    written = []
    for group in groups():
        if all((directory / name).exists() for name in group):
            continue
        if any((directory / name).exists() for name in group):
            raise SystemExit(f"{directory}: only part of {sorted(group)} exists; remove those files or restore all")
        for name, text in group.items():
            path = directory / name
            path.write_text(text + "\n", encoding="utf-8")
            path.chmod(0o400 if name.endswith(".keys") else 0o644)
            written.append(name)
    return written


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else ROOT / "deploy" / "secrets"
    written = make_secrets(directory)
    print(f"{directory}: wrote {', '.join(written) or 'nothing (every secret exists)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
