"""Database or broker down: pages answer a styled 503, the API the JSON error body with 503, never a bare 500."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from community.views import outage


@pytest.fixture
def database_down(db):
    """Every new cursor fails the way psycopg does when Postgres refuses connections."""
    with mock.patch.object(connection, "_cursor", side_effect=OperationalError("connection refused")):
        yield


def test_page_answers_styled_503_while_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == outage.RETRY_AFTER
    assert "briefly unavailable" in response.content.decode()


def test_api_answers_json_503_while_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/api/v1/members/", HTTP_AUTHORIZATION="Api-Key hk_x.y")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_healthz_reports_database_down_with_503(database_down):
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    # A middleware reaches the database before the view, so the outage handler answers: still JSON, still 503.
    assert response.json()["error"]["code"] == "unavailable" or response.json()["database"].startswith("error")


def test_broker_connection_error_answers_503():
    request = RequestFactory().get("/c/a/")
    try:
        raise RedisConnectionError("Connection refused")
    except RedisConnectionError:
        response = outage.handler500(request)
    assert response.status_code == 503


def test_broker_error_wrapped_by_kombu_is_an_outage():
    from kombu.exceptions import OperationalError as KombuError

    try:
        try:
            raise RedisConnectionError("refused")
        except RedisConnectionError as inner:
            raise RuntimeError("task publish failed") from inner
    except RuntimeError as error:
        assert outage.is_outage(error)
    assert outage.is_outage(KombuError("down"))


def test_other_errors_stay_500():
    request = RequestFactory().get("/api/v1/members/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = outage.handler500(request)
    assert response.status_code == 500
