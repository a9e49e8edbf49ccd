"""The registry of connectors: one module per platform, each a `Connector` subclass."""

from importlib import import_module

from .base import Connector

KINDS = (
    "github",
    "slack",
    "discord",
    "reddit",
    "discourse",
    "youtube",
    "rss",
    "mastodon",
    "x",
    "telegram",
    "generic",
)

_cache: dict[str, Connector] = {}


def get_connector(kind: str) -> Connector:
    if kind not in KINDS:
        raise KeyError(f"unknown channel kind {kind!r}")
    if kind not in _cache:
        module = import_module(f"integrations.connectors.{kind}")
        _cache[kind] = module.CONNECTOR
    return _cache[kind]


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, get_connector(kind).label) for kind in KINDS]
