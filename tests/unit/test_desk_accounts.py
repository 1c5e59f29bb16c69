"""Staff accounts on a fake repository: argon2 hashes, lockout, TOTP enrolment and replay."""

import pyotp
import pytest

from services.desk.accounts import accounts as acc
from tests.support.desk_fakes import FakeAccounts

UNITS = {"bkpsdm-14.03": "BKPSDM Kabupaten Bengkalis"}
PASSWORD = "kata-sandi-yang-panjang"


@pytest.fixture
def repo():
    fake = FakeAccounts()
    acc.new_account(fake, UNITS, "budi", "bkpsdm-14.03", "petugas", PASSWORD)
    return fake


def test_the_password_is_stored_as_an_argon2_hash(repo):
    stored = repo.by_username("budi")["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert acc.check_password(repo, "budi", PASSWORD)["username"] == "budi"


def test_bad_accounts_are_refused_with_every_reason(repo):
    with pytest.raises(ValueError) as problem:
        acc.new_account(repo, UNITS, "budi", "bkpsdm-99.99", "raja", "pendek")
    message = str(problem.value)
    for part in ("sudah dipakai", "tidak ada dalam direktori", "Peran harus", "paling sedikit 12"):
        assert part in message


def test_failures_never_lock_the_account_itself(repo):
    """Anyone could lock anyone out so; failures are throttled per client (services.desk.accounts.throttle) instead."""
    for _ in range(10):
        with pytest.raises(acc.LoginRefused, match="salah"):
            acc.check_password(repo, "budi", "salah")
    assert acc.check_password(repo, "budi", PASSWORD)["username"] == "budi"


def test_unknown_and_disabled_accounts_get_the_same_answer_as_a_wrong_password(repo):
    with pytest.raises(acc.LoginRefused, match="salah"):
        acc.check_password(repo, "siapa", PASSWORD)
    acc.set_disabled(repo, "budi")
    with pytest.raises(acc.LoginRefused, match="salah"):
        acc.check_password(repo, "budi", PASSWORD)


def test_enrolment_confirms_with_a_code_and_each_code_works_once(repo):
    account = repo.by_username("budi")
    secret = acc.enrolment_secret(repo, account)
    uri = acc.otpauth_uri(account, secret)
    assert uri.startswith("otpauth://totp/") and secret in uri and "<svg" in acc.qr_svg(uri)
    code = pyotp.TOTP(secret).now()
    acc.check_code(repo, repo.by_username("budi"), code)
    assert repo.by_username("budi")["totp_confirmed"]
    with pytest.raises(acc.LoginRefused):
        acc.check_code(repo, repo.by_username("budi"), code)


def test_a_reset_second_factor_asks_for_enrolment_again(repo):
    account = repo.by_username("budi")
    acc.check_code(repo, account | {"totp_secret": acc.enrolment_secret(repo, account)},
                   pyotp.TOTP(repo.by_username("budi")["totp_secret"]).now())
    acc.reset_second_factor(repo, "budi")
    assert repo.by_username("budi")["totp_secret"] is None and not repo.by_username("budi")["totp_confirmed"]
