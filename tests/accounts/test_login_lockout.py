"""Failed logins: a stranger's wrong passwords lock out the stranger's address, not the account's owner."""

from django.test import Client

from tests.factories import PASSWORD, make_user


def _login(ip: str, password: str):
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": "target@example.com", "password": password})
    return client, response


def test_an_attackers_failures_do_not_lock_the_owner_out_from_elsewhere(db):
    make_user("target@example.com")
    for _ in range(5):
        _login("203.0.113.7", "wrong")
    attacker, _ = _login("203.0.113.7", PASSWORD)  # even the right password is refused at the attacker's address
    assert "_auth_user_id" not in attacker.session
    owner, response = _login("198.51.100.20", PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_failures_spread_over_many_addresses_still_hit_the_account_limit(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    make_user("target@example.com")
    for n in range(3):
        _login(f"203.0.113.{n + 1}", "wrong")
    client, response = _login("198.51.100.20", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "too many" in response.content.decode().lower()


def test_successful_logins_do_not_use_up_the_account_limit(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "2/h/key"}
    make_user("target@example.com")
    for n in range(4):
        client, _ = _login(f"198.51.100.{n + 1}", PASSWORD)
        assert "_auth_user_id" in client.session
