"""Server-side request forgery: a tenant-chosen URL never reaches loopback, private networks or cloud metadata.

Checked twice, as an attacker would try it: when the URL is saved (every spelling of loopback, user info, odd
schemes), and when Hearth connects (DNS answers that change after the save, redirects into the network).
"""

import http.server
import socket
import threading

import httpcore
import pytest

from community.outbound import OutboundRefused, guarded_client, url_refusal
from community.tenancy import community_scope
from integrations import http as hearth_http
from integrations.models import ChannelConnection
from integrations.services.connections import connection_check_run

from .conftest import make_connection

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://localhost:8000/feed",
    "http://app.localhost/",
    "http://vm/",  # a name from this machine's hosts file
]
INTERNAL = [
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/",  # AWS metadata over IPv6 (unique local)
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
]
MALFORMED = [
    "ftp://example.com/feed",
    "file:///etc/passwd",
    "gopher://example.com/",
    "http://user:pass@example.com/feed",
    "HTTP://weird domain/x",
    "example.com/feed",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS + INTERNAL + MALFORMED)
def test_a_url_into_the_network_or_not_http_is_refused_when_saved(url):
    assert url_refusal(url)


@pytest.mark.parametrize("url", ["https://forum.example.com", "https://blog.example.com/feed.xml", "http://8.8.8.8/"])
def test_public_addresses_and_names_that_do_not_resolve_yet_are_accepted(url):
    assert url_refusal(url) is None


@pytest.mark.parametrize(
    "kind, field, url",
    [
        ("rss", "feed_url", "http://0177.0.0.1/"),  # was a 500
        ("rss", "feed_url", "http://2130706433/feed"),
        ("mastodon", "instance_url", "http://169.254.169.254"),
        ("discourse", "base_url", "http://admin:secret@forum.example.com"),
    ],
)
def test_the_channels_api_refuses_internal_addresses_with_a_400(client, world, kind, field, url):
    response = client.post(
        "/api/v1/channels/",
        {"kind": kind, "display_name": "x", "config": {field: url, "hashtag": "h"}, "credentials": {"api_key": "k"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.a_key}",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    with community_scope(world.a.pk):
        assert not ChannelConnection.objects.for_community(world.a).exists()


def test_updating_a_connection_to_an_internal_address_is_refused(client, world):
    connection = make_connection(world.a, "rss")
    response = client.patch(
        f"/api/v1/channels/{connection.pk}/",
        {"config": {"feed_url": "http://[::ffff:7f00:1]/"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.a_key}",
    )
    assert response.status_code == 400
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert connection.config["feed_url"] == "https://blog.example.com/feed.xml"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]
    redirect_to = ""

    def do_GET(self):
        self.hits.append(self.path)
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(b"<rss><channel><title>internal admin panel</title></channel></rss>")

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_server():
    """An HTTP server on loopback: the 'internal service' an attacker wants Hearth to read."""
    handler = type("Handler", (_Recorder,), {"hits": [], "redirect_to": ""})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, handler
    server.shutdown()
    server.server_close()


def _rebinding_resolver(monkeypatch, name: str, first: str, then: str):
    """`name` resolves to `first` once (the save-time check), then to `then` (DNS rebinding)."""
    real = socket.getaddrinfo
    answers = [first]

    def fake(host, port, *args, **kwargs):
        if host == name:
            address = answers.pop() if answers else then
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_dns_rebinding_after_the_save_check_is_refused_at_connect_time(world, internal_server, monkeypatch):
    server, handler = internal_server
    _rebinding_resolver(monkeypatch, "feed.rebind.test", first="93.184.216.34", then="127.0.0.1")
    url = f"http://feed.rebind.test:{server.server_port}/feed.xml"
    connection = make_connection(world.a, "rss", config={"feed_url": url})  # passed: it resolved to a public address

    assert connection_check_run(community_id=world.a.pk, connection_id=connection.pk) is False
    assert handler.hits == []  # the internal server was never reached
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert "loopback" in connection.last_check_message
    assert "127.0.0.1" not in connection.last_check_message  # the answer of our DNS is not echoed


def test_every_redirect_hop_is_checked(settings, internal_server):
    settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK = True  # the first hop may reach our test server; the metadata hop not
    server, handler = internal_server
    handler.redirect_to = "http://169.254.169.254/latest/meta-data/iam/"
    with pytest.raises(hearth_http.Refused, match="private, reserved or link-local"):
        hearth_http.request("GET", f"http://127.0.0.1:{server.server_port}/start")
    assert handler.hits == ["/start"]


def test_loopback_is_refused_at_connect_time_unless_the_development_setting_allows_it(settings, internal_server):
    server, handler = internal_server
    url = f"http://127.0.0.1:{server.server_port}/x"
    with pytest.raises(hearth_http.Refused, match="loopback"):
        hearth_http.request("GET", url)
    assert handler.hits == []
    settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK = True
    assert hearth_http.request("GET", url).status_code == 200


def test_user_info_in_a_url_is_never_followed(settings, internal_server):
    settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK = True
    server, handler = internal_server
    with guarded_client(timeout=3) as client, pytest.raises(OutboundRefused, match="user name"):
        client.get(f"http://admin:hunter2@127.0.0.1:{server.server_port}/")
    assert handler.hits == []


def test_the_connection_goes_to_the_address_that_was_checked(settings, internal_server, monkeypatch):
    """One resolution per connection, and the socket opens to that IP (never a second lookup of the name)."""
    settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK = True
    server, _ = internal_server
    lookups, connected = [], []
    real_lookup, real_connect = socket.getaddrinfo, httpcore.SyncBackend.connect_tcp

    def counting(host, *args, **kwargs):
        lookups.append(host)
        return real_lookup(host, *args, **kwargs)

    def spying(self, host, port, *args, **kwargs):
        connected.append(host)
        return real_connect(self, host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", spying)
    with guarded_client(timeout=3) as client:
        assert client.get(f"http://localhost:{server.server_port}/").status_code == 200
    assert connected == ["127.0.0.1"]
    # The name was looked up once; the socket layer's own getaddrinfo call got the IP literal (no DNS involved).
    assert lookups == ["localhost", "127.0.0.1"]


def test_network_errors_are_told_in_words_without_the_systems_detail(settings, no_sleep):
    settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK = True
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(hearth_http.TransientError) as caught:
        hearth_http.request("GET", f"http://127.0.0.1:{port}/")
    assert str(caught.value) == "could not reach 127.0.0.1: the connection failed"
    assert "Errno" not in str(caught.value) and "refused" not in str(caught.value)


def test_check_runs_in_the_worker_not_in_the_request(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "rss")
    with community_scope(world.a.pk):  # a row saved before the rule existed: stored URLs are not trusted either
        ChannelConnection.objects.filter(pk=connection.pk).update(config={"feed_url": "http://127.0.0.1:9/feed"})
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/api/v1/channels/{connection.pk}/check/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert response.status_code == 202
    assert response.json()["last_check"]["ok"] is None  # queued, nothing called yet
    for callback in callbacks:
        callback()
    body = client.get(f"/api/v1/channels/{connection.pk}/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}").json()
    assert body["last_check"]["ok"] is False
    assert "loopback" in body["last_check"]["message"]
