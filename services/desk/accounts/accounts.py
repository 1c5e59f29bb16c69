"""Staff accounts: argon2 password hashes, a TOTP second factor with enrolment (failures are throttled in throttle)."""
from __future__ import annotations

import io
import time

import pyotp
import qrcode
import qrcode.image.svg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..cases.access import ROLES_ALL, Staff
from .sessions import revoke_sessions

HASHER = PasswordHasher()
ISSUER = "Netra Meja Unit"
MIN_PASSWORD = 12
MAX_PASSWORD = 200
WRONG = "Nama pengguna, kata sandi atau kode salah."
# Only on the code step, which is reached with the right password: the code alone is then in question.
WRONG_CODE = "Kode salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi autentikator."
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY_HASH = HASHER.hash("netra-no-such-account")


class LoginRefused(Exception):
    pass


def staff_of(account: dict) -> Staff:
    return Staff(account["id"], account["username"], account["unit_id"], account["role"])


def public(account: dict) -> dict:
    """What a page may show of an account: never a hash or a secret."""
    return {key: account.get(key) for key in ("id", "username", "name", "email", "unit_id", "role",
                                               "totp_confirmed", "disabled", "locked_until")}


def new_account(repo, units: dict, username: str, unit_id: str, role: str, password: str) -> int:
    problems = account_problems(repo, units, username, unit_id, role, password)
    if problems:
        raise ValueError(" ".join(problems))
    return repo.add(username=username.strip(), unit_id=unit_id, role=role, password_hash=HASHER.hash(password),
                    totp_confirmed=False, disabled=False, failed_logins=0)


def account_problems(repo, units, username, unit_id, role, password) -> list[str]:
    problems = username_problems(repo, username)
    if unit_id not in units:
        problems.append(f"Unit '{unit_id}' tidak ada dalam direktori.")
    if role not in ROLES_ALL:
        problems.append(f"Peran harus salah satu dari: {', '.join(ROLES_ALL)}.")
    return problems + password_problems(password, password)


def username_problems(repo, username: str) -> list[str]:
    if not username or not username.strip() or len(username) > 80:
        return ["Nama pengguna wajib diisi (paling panjang 80 karakter)."]
    if repo.by_username(username.strip()):
        return [f"Nama pengguna '{username}' sudah dipakai."]
    return []


def password_problems(password: str, confirm: str) -> list[str]:
    if len(password or "") < MIN_PASSWORD:
        return [f"Kata sandi paling sedikit {MIN_PASSWORD} karakter."]
    if len(password) > MAX_PASSWORD:
        return [f"Kata sandi paling panjang {MAX_PASSWORD} karakter."]
    return [] if password == confirm else ["Kedua kata sandi berbeda."]


def change_password(repo, account: dict, current: str, new: str, confirm: str) -> None:
    """The owner's own change: the current password first. Every session of the account ends (the caller
    starts a new one for the browser it was made in)."""
    if not _verify(account["password_hash"], current):
        raise ValueError("Kata sandi saat ini salah.")
    set_password(repo, account["id"], new, confirm)


def set_password(repo, account_id: int, new: str, confirm: str) -> None:
    """Only ever called for the account's owner: after their current password, or through their mailed link."""
    problems = password_problems(new, confirm)
    if problems:
        raise ValueError(" ".join(problems))
    repo.update(account_id, password_hash=HASHER.hash(new))
    revoke_sessions(repo, account_id)


def check_password(repo, username: str, password: str) -> dict:
    """The account, or LoginRefused with the same words whether the username, the password or both are wrong."""
    account = repo.by_username((username or "").strip())
    if account is None or account["disabled"]:
        _verify(_DUMMY_HASH, password)
        raise LoginRefused(WRONG)
    if not _verify(account["password_hash"], password):
        raise LoginRefused(WRONG)
    return account


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def check_code(repo, account: dict, code: str) -> None:
    """The TOTP code of the current (or the neighbouring) 30-second step, each step usable once."""
    totp = pyotp.TOTP(account["totp_secret"] or pyotp.random_base32())
    step = _matching_step(totp, (code or "").strip())
    if step is None or (account["last_totp_step"] or 0) >= step:
        raise LoginRefused(WRONG_CODE)
    repo.update(account["id"], last_totp_step=step, totp_confirmed=True)


def _matching_step(totp: pyotp.TOTP, code: str) -> int | None:
    now = int(time.time())
    for offset in (0, -30, 30):
        if code and totp.verify(code, for_time=now + offset, valid_window=0):
            return (now + offset) // 30
    return None


def enrolment_secret(repo, account: dict) -> str:
    if account["totp_secret"] and not account["totp_confirmed"]:
        return account["totp_secret"]
    secret = pyotp.random_base32()
    repo.update(account["id"], totp_secret=secret, totp_confirmed=False, last_totp_step=None)
    return secret


def otpauth_uri(account: dict, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account["username"], issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode().split("?>", 1)[-1]


def reset_second_factor(repo, username: str) -> None:
    """The owner enrols again at their next login, with their own password (nobody else knows it); every
    session signed in with the old factor ends, and the old recovery codes stop working."""
    account = _existing(repo, username)
    repo.update(account["id"], totp_secret=None, totp_confirmed=False, last_totp_step=None)
    repo.drop_recovery_codes(account["id"])
    revoke_sessions(repo, account["id"])


def set_disabled(repo, username: str, disabled: bool = True) -> None:
    """Disabling ends every session of the account at once."""
    account_id = _existing(repo, username)["id"]
    repo.update(account_id, disabled=disabled)
    if disabled:
        revoke_sessions(repo, account_id)


def _existing(repo, username: str) -> dict:
    account = repo.by_username(username)
    if account is None:
        raise ValueError(f"Tidak ada akun '{username}'.")
    return account
