"""The Activity-API items connectors build: identity values keep their types."""

from integrations.connectors.base import item


def test_unverified_email_stays_false_not_the_string_false():
    built = item(
        source="github",
        external_id=1,
        kind="comment",
        occurred_at="2026-11-01T10:00:00Z",
        identity={"channel": "github", "external_id": 583231, "email": "a@example.com", "email_verified": False},
    )
    assert built["identity"]["email_verified"] is False
    assert built["identity"]["external_id"] == "583231"
