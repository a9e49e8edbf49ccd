"""The one guarded HTTP client for every call Hearth makes to a URL someone typed in (server-side request forgery).

Channel URLs (an RSS feed, a Mastodon instance, a Discourse forum), alert webhooks, calendar imports and outbound
webhooks are all addresses a tenant chooses, fetched from inside our network. So:

- at save time, `url_refusal(url)` turns away what is wrong on its face: anything but http(s), user info (it would
  be sent as Basic auth), loopback or private addresses in any spelling (`127.1`, `2130706433`, `0x7f000001`,
  `0177.0.0.1`, `[::ffff:127.0.0.1]`, names from the hosts file such as `localhost`);
- at connect time, `GuardedBackend` resolves the host itself, refuses the connection unless every address is public,
  and connects to the address it checked. The name is resolved once, so a DNS answer that changes between the check
  and the connection (rebinding) cannot slip through, and TLS still verifies the certificate against the name.
  Each redirect hop is a new connection, so every hop is checked the same way.

"Public" is `ipaddress`'s `is_global`, minus multicast, with the IPv4 address inside IPv4-mapped, 6to4, Teredo and
NAT64 IPv6 addresses checked as well. `HEARTH_OUTBOUND_ALLOW_LOOPBACK` (local development and tests only) lets
loopback through, never private ranges or cloud metadata.
"""

import ipaddress
import socket

import httpcore
import httpx
from django.conf import settings

MAX_REDIRECTS = 5
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(Exception):
    """A URL or address Hearth will not call. The message is for people: it names no internal detail."""


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "HEARTH_OUTBOUND_ALLOW_LOOPBACK", False))


def address_refusal(address: str) -> str | None:
    """Why Hearth will not connect to this IP address, or None when it may."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "it is not an IP address"
    embedded: list[ipaddress.IPv4Address] = []
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
        if ip.teredo:
            embedded.append(ip.teredo[1])
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    # An IPv6 address that carries an IPv4 one is judged by the IPv4 address it leads to.
    for candidate in embedded or [ip]:
        if candidate.is_loopback:
            if _loopback_allowed():
                continue
            return "it points at this server (loopback)"
        if candidate.is_multicast or not candidate.is_global:
            return "it points at a private, reserved or link-local network address"
    return None


def _literal_address(host: str) -> str | None:
    """The address a numeric host stands for, in any spelling the system resolver accepts, else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))  # 127.1, 2130706433, 0x7f000001, 0177.0.0.1
    except OSError:
        return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


def url_refusal(url: str, *, resolve: bool = True) -> str | None:
    """Why this URL may not be saved as something Hearth fetches, in words, or None when it may.

    A name that does not resolve (yet) is accepted: the connect-time check still stands between it and the network.
    """
    host = _split_host(url)
    if isinstance(host, str) and host.startswith("!"):
        return host[1:]
    literal = _literal_address(host)
    if literal is not None:
        reason = address_refusal(literal)
        return f"This address is not allowed: {reason}." if reason else None
    if host == "localhost" or host.endswith(".localhost"):
        reason = address_refusal("127.0.0.1")
        return f"This address is not allowed: {reason}." if reason else None
    if resolve:
        for address in _resolve(host, 443):
            reason = address_refusal(address)
            if reason:
                return f"This address is not allowed: {reason}."
    return None


def _split_host(url: str) -> str:
    """The URL's host in lower case, or '!<reason>' when the URL is unusable."""
    if not isinstance(url, str) or not url.strip():
        return "!Enter a URL."
    if any(ch in url for ch in "\x00\r\n\t "):
        return "!Enter a valid URL (no spaces or control characters)."
    # The system resolver reads 0177.0.0.1 as octal; httpx refuses it. Take the host out by hand first, so such a
    # spelling is judged as the address it is rather than failing as an "invalid URL" (it once was a 500).
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return "!Only http:// and https:// addresses can be used."
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in authority:
        return "!Remove the user name and password from the address (use the credential fields instead)."
    host = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
    if authority.startswith("[") and "]" in authority:
        host = authority[: authority.index("]") + 1]
    host = host.lower().rstrip(".")
    if not host:
        return "!Enter a URL with a host name."
    if _literal_address(host) is None:
        try:
            httpx.URL(url)
        except httpx.InvalidURL:
            return "!Enter a valid URL."
    return host


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network layer with the address check in front of every TCP connection."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        literal = _literal_address(host)
        addresses = [literal] if literal else _resolve(host, port)
        if not addresses:
            raise OutboundRefused(f"The name {host} could not be resolved.")
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise OutboundRefused(f"Hearth does not connect to {host}: {reason}.")
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """An HTTPTransport whose connection pool connects through GuardedBackend and never through a proxy."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx has no public hook for the network backend; the pool it would build is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            network_backend=GuardedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme not in ("http", "https"):
            raise OutboundRefused("Only http:// and https:// addresses can be used.")
        if request.url.userinfo:
            raise OutboundRefused("Addresses with a user name and password are not followed.")
        return super().handle_request(request)  # OutboundRefused from the backend passes through httpx unwrapped


def guarded_client(*, timeout: httpx.Timeout | float, follow_redirects: bool = True) -> httpx.Client:
    """An httpx.Client for tenant-chosen URLs: every connection and every redirect hop checked."""
    return httpx.Client(
        transport=GuardedTransport(),
        timeout=timeout,
        follow_redirects=follow_redirects,
        max_redirects=MAX_REDIRECTS,
        trust_env=False,
    )
