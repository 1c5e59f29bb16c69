"""Server-side desk sessions (services/desk/accounts/sessions.py) against the fake account store."""
from datetime import timedelta

from services.desk.accounts import sessions
from tests.support.desk_fakes import FakeAccounts

IDLE = timedelta(minutes=30)


def aged(repo: FakeAccounts, key: str, by: timedelta) -> None:
    row = repo.sessions[sessions._digest(key)]
    row["seen_at"] -= by


def test_only_the_digest_is_kept_and_the_key_signs_in_only_its_own_account():
    repo = FakeAccounts()
    key = sessions.start_session(repo, 1, IDLE)
    assert key not in repo.sessions and len(key) >= 43
    assert sessions.session_alive(repo, 1, key, IDLE)
    assert not sessions.session_alive(repo, 2, key, IDLE)
    assert not sessions.session_alive(repo, 1, None, IDLE) and not sessions.session_alive(repo, 1, "made-up", IDLE)


def test_a_session_idle_too_long_is_refused_and_removed_at_the_next_login():
    repo = FakeAccounts()
    idle, busy = sessions.start_session(repo, 1, IDLE), sessions.start_session(repo, 1, IDLE)
    aged(repo, idle, IDLE + timedelta(seconds=1))
    aged(repo, busy, timedelta(minutes=5))
    assert not sessions.session_alive(repo, 1, idle, IDLE)
    assert sessions.session_alive(repo, 1, busy, IDLE)  # and its use is recorded: five minutes is stale
    assert sessions.session_alive(repo, 1, busy, IDLE) and not sessions.session_alive(repo, 1, idle, IDLE)
    aged(repo, busy, IDLE - timedelta(minutes=1))
    assert sessions.session_alive(repo, 1, busy, IDLE)
    sessions.start_session(repo, 2, IDLE)
    assert sessions._digest(idle) not in repo.sessions and len(repo.sessions) == 2


def test_ending_one_session_leaves_the_others_and_revoking_ends_every_one_of_the_account():
    repo = FakeAccounts()
    laptop, phone = sessions.start_session(repo, 1, IDLE), sessions.start_session(repo, 1, IDLE)
    other = sessions.start_session(repo, 2, IDLE)
    sessions.end_session(repo, laptop)
    assert not sessions.session_alive(repo, 1, laptop, IDLE) and sessions.session_alive(repo, 1, phone, IDLE)
    sessions.revoke_sessions(repo, 1)
    assert not sessions.session_alive(repo, 1, phone, IDLE) and sessions.session_alive(repo, 2, other, IDLE)
