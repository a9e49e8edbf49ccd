"""Production settings pass `manage.py check --deploy` with no warnings."""

import os
import subprocess
import sys

from django.conf import settings


def test_production_settings_pass_check_deploy():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "HEARTH_LOCAL", "HEARTH_TESTING", "PYTEST_CURRENT_TEST", "PYTEST_VERSION"}
    }
    env.update(
        {
            "SECRET_KEY": "p" * 20 + "-production-secret-with-enough-entropy-0123456789abcdef",
            "ALLOWED_HOSTS": "hearth.example.com",
            "DEBUG": "0",
            "HEARTH_FERNET_KEYS": "x" * 43 + "=",
            "HEARTH_TESTING": "0",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
