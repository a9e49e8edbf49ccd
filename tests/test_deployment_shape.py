"""The deployment files keep their shape: compose services, one shared image, health checks, CI."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_has_all_services():
    services = compose_services()
    for name in (*APP_SERVICES, "db", "redis", "migrate"):
        assert name in services, f"docker-compose.yml lacks service {name!r}"


def test_app_services_share_one_image_built_from_dockerfile():
    services = compose_services()
    images = {services[name]["image"] for name in APP_SERVICES}
    assert images == {"hearth:latest"}
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", f"{name} must build from the repository Dockerfile"


def test_every_long_running_service_has_a_healthcheck():
    for name, service in compose_services().items():
        assert service.get("healthcheck", {}).get("test"), f"service {name!r} has no healthcheck"


def test_web_waits_for_healthy_dependencies_and_migrations():
    services = compose_services()
    depends = services["web"]["depends_on"]
    assert depends["pgbouncer"]["condition"] == "service_healthy"
    assert services["pgbouncer"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_runs_as_owner_and_app_as_app_role():
    services = compose_services()
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        assert "hearth_app" in env["DATABASE_URL"]
        assert "hearth_owner" in env["MIGRATION_DATABASE_URL"]
        assert env["DEBUG"] == "0"


def test_app_role_goes_through_pgbouncer_in_transaction_mode():
    services = compose_services()
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert "@pgbouncer:" in env["DATABASE_URL"] and env["HEARTH_DB_POOLER"] == "1"
        assert "@db:" in env["MIGRATION_DATABASE_URL"]  # DDL and the owner role bypass the pooler


def test_db_init_reuses_bootstrap_sql():
    volumes = compose_services()["db"]["volumes"]
    assert any("hearth/sql/bootstrap_roles.sql" in v and "docker-entrypoint-initdb.d" in v for v in volumes)


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert any(line.strip() == "make test" for line in script.splitlines())
