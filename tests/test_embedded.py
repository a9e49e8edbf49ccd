"""The embedded-servers launcher: what every child process it starts is told."""

from hearth.embedded import Servers, child_env


def test_children_of_run_and_exec_are_told_they_are_on_a_developer_machine(monkeypatch):
    # Without it, `embedded exec -- manage.py ...` died on a missing SECRET_KEY (CI's schemathesis step).
    monkeypatch.delenv("HEARTH_LOCAL", raising=False)
    env = child_env(Servers(env={"DATABASE_URL": "postgresql://x@127.0.0.1/db"}))
    assert env["HEARTH_LOCAL"] == "1" and env["DATABASE_URL"] == "postgresql://x@127.0.0.1/db"


def test_an_explicit_setting_wins(monkeypatch):
    monkeypatch.setenv("HEARTH_LOCAL", "0")
    assert child_env(Servers())["HEARTH_LOCAL"] == "0"
