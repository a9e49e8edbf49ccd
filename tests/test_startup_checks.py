"""Production refuses to start without HEARTH_FERNET_KEYS, and with HEARTH_LOCAL on a public host."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from community.checks import local_mode_only_on_loopback
from integrations.checks import fernet_keys_configured

PRODUCTION = {"DEBUG": False, "TESTING": False, "LOCAL": False}


@override_settings(HEARTH_FERNET_KEYS=[], **PRODUCTION)
def test_missing_fernet_keys_in_production_is_an_error():
    assert [error.id for error in fernet_keys_configured(None)] == ["hearth.E001"]


@override_settings(HEARTH_FERNET_KEYS=["k"], **PRODUCTION)
def test_fernet_keys_set_pass():
    assert fernet_keys_configured(None) == []


@override_settings(HEARTH_FERNET_KEYS=[], DEBUG=True, TESTING=False, LOCAL=False)
def test_missing_fernet_keys_allowed_under_debug():
    assert fernet_keys_configured(None) == []


@override_settings(ALLOWED_HOSTS=["hearth.example.com", "localhost"], DEBUG=False, TESTING=False, LOCAL=True)
def test_local_mode_on_a_public_host_is_an_error():
    assert [error.id for error in local_mode_only_on_loopback(None)] == ["hearth.E002"]


@override_settings(ALLOWED_HOSTS=["localhost", "127.0.0.1", "[::1]"], DEBUG=False, TESTING=False, LOCAL=True)
def test_local_mode_on_loopback_passes():
    assert local_mode_only_on_loopback(None) == []


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "hearth.E001"),
        ({"HEARTH_LOCAL": "1", "HEARTH_FERNET_KEYS": "x"}, "hearth.E002"),
        ({"HEARTH_OUTBOUND_ALLOW_LOOPBACK": "1", "HEARTH_FERNET_KEYS": "x"}, "hearth.E003"),
    ],
)
def test_manage_py_refuses_to_start(extra, code):
    env = {key: value for key, value in os.environ.items() if key not in {"HEARTH_LOCAL", "PYTEST_CURRENT_TEST"}}
    env.pop("HEARTH_FERNET_KEYS", None)
    env.update(
        {
            "SECRET_KEY": "p" * 20 + "-production-secret-with-enough-entropy-0123456789abcdef",
            "ALLOWED_HOSTS": "hearth.example.com",
            "DEBUG": "0",
            "HEARTH_TESTING": "0",
            **extra,
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert code in result.stderr + result.stdout
