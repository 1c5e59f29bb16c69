"""One-time links and recovery codes, with the fake account store: a link works once and until it expires,
only its hash is kept; a recovery code signs in once."""
from datetime import timedelta

from services.desk.accounts import invitations, links, recovery, resets
from tests.support.desk_fakes import FakeAccounts

PASSWORD = "kata-sandi-yang-panjang"


class Outbox(list):
    def __call__(self, message):
        self.append(message)


def mailing(lifetime=timedelta(days=7)):
    return invitations.Mailing(Outbox(), "http://desk.example", "Netra <netra@example.go.id>", lifetime)


def token_of(message) -> str:
    return message.get_content().split("/desk/undangan/", 1)[1].split()[0]


def test_an_invitation_makes_the_invitees_own_account_once():
    repo, mail = FakeAccounts(), mailing()
    invitations.invite(repo, mail, unit_id="bkd-14", unit_name="BKD Riau", role="petugas",
                       email="siska@example.go.id", by="admin.riau")
    token = token_of(mail.send[0])
    assert token not in str(repo.links) and links.digest(token) in repo.links
    account_id = invitations.accept(repo, token, "siska", "Siska", PASSWORD, PASSWORD)
    account = repo.by_id(account_id)
    assert (account["email"], account["role"], account["unit_id"]) == ("siska@example.go.id", "petugas", "bkd-14")
    try:
        invitations.accept(repo, token, "siska2", "Siska", PASSWORD, PASSWORD)
    except LookupError:
        pass
    else:
        raise AssertionError("a used invitation made a second account")


def test_an_expired_link_opens_nothing():
    repo, mail = FakeAccounts(), mailing(lifetime=timedelta(seconds=-1))
    invitations.invite(repo, mail, unit_id="bkd-14", unit_name="BKD Riau", role="admin", email="a@example.go.id",
                       by="operator")
    assert links.open_link(repo, token_of(mail.send[0]), "invite") is None


def test_a_bad_password_leaves_the_invitation_usable():
    repo, mail = FakeAccounts(), mailing()
    invitations.invite(repo, mail, unit_id="bkd-14", unit_name="BKD Riau", role="admin", email="a@example.go.id",
                       by="operator")
    token = token_of(mail.send[0])
    for password, confirm in (("pendek", "pendek"), (PASSWORD, PASSWORD + "x")):
        try:
            invitations.accept(repo, token, "ani", "Ani", password, confirm)
        except ValueError:
            pass
    assert links.open_link(repo, token, "invite") is not None


def test_a_reset_goes_only_to_an_existing_active_accounts_address():
    repo = FakeAccounts()
    repo.add(username="rina", email="rina@example.go.id", unit_id="bkd-14", role="petugas", disabled=False,
             password_hash="x")
    send = Outbox()
    mail = resets.ResetMailing(send, "http://desk.example", "Netra <netra@example.go.id>", timedelta(hours=1))
    assert resets.request_reset(repo, mail, "tidak-ada@example.go.id") == []
    assert [a["username"] for a in resets.request_reset(repo, mail, "RINA@example.go.id")] == ["rina"]
    assert [m["To"] for m in send] == ["rina@example.go.id"]


def test_each_recovery_code_works_once():
    repo = FakeAccounts()
    codes = recovery.new_codes(repo, 1)
    assert len(set(codes)) == recovery.COUNT and all(recovery.looks_like_code(c) for c in codes)
    assert all(code not in str(repo.codes) for code in codes)
    assert recovery.use_code(repo, 1, codes[0].upper()) and not recovery.use_code(repo, 1, codes[0])
    assert not recovery.use_code(repo, 2, codes[1])  # another account's
