"""Outgoing HTTP for connectors: timeouts, retries with exponential backoff, rate limits, auth failures.

Every call goes through community.outbound's guarded client: a connector URL that leads to loopback, a private
network or cloud metadata (directly, through DNS or through a redirect) raises `Refused`, which is never retried.
Error messages say what happened in words and name only the host the tenant configured, never the network's
answer (which would make "Check connection" a port scanner).

A 429 (or a 403 with `X-RateLimit-Remaining: 0`) raises `RateLimited(wait)`: the sync task turns it into a
retry countdown, so a rate-limited connection waits rather than fails. 401/403 raise `AuthFailed` (the
connection then needs re-authorisation). 5xx and network errors are retried here, then raise `TransientError`.
"""

import contextlib
import contextvars
import email.utils
import logging
import time
from datetime import UTC, datetime

import httpx

from community.outbound import OutboundRefused, guarded_client

logger = logging.getLogger("hearth.integrations.http")
# httpx logs every request URL at INFO; some platforms (Telegram) carry the token in the path: keep it quiet.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_RETRIES = 3
BACKOFF_BASE = 0.5  # seconds: 0.5, 1, 2 …
MAX_WAIT = 3600
USER_AGENT = "Hearth community platform (+https://hearth.example)"

QUICK_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# Inside `quick()` (a check someone waits for): no retries and short timeouts, whatever the caller asked.
_quick = contextvars.ContextVar("hearth_http_quick", default=False)

_sleep = time.sleep  # tests replace it to record the backoff without waiting


class HttpProblem(Exception):
    """Base of the errors a connector's fetch may raise."""


class RateLimited(HttpProblem):
    def __init__(self, wait: float, message: str = "rate limited"):
        super().__init__(f"{message}; retry in {int(wait)}s")
        self.wait = max(1, min(int(wait), MAX_WAIT))


class AuthFailed(HttpProblem):
    def __init__(self, status: int, message: str = ""):
        super().__init__(f"the platform refused our credentials ({status}) {message}".strip())
        self.status = status


class TransientError(HttpProblem):
    pass


class Refused(HttpProblem):
    """The URL leads somewhere Hearth does not call (see community.outbound)."""


class BadResponse(HttpProblem):
    """A 4xx other than auth/rate-limit: our request or the configuration is wrong."""


@contextlib.contextmanager
def quick():
    token = _quick.set(True)
    try:
        yield
    finally:
        _quick.reset(token)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value:
        if value.strip().isdigit():
            return float(value)
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed:
            return max(0.0, (parsed - datetime.now(UTC)).total_seconds())
    reset = response.headers.get("X-RateLimit-Reset") or response.headers.get("x-rate-limit-reset")
    if reset and reset.replace(".", "", 1).isdigit():
        reset_value = float(reset)
        # GitHub/X send an epoch; Reddit/Discord send seconds remaining.
        return max(0.0, reset_value - time.time()) if reset_value > 1_000_000_000 else reset_value
    reset_after = response.headers.get("X-RateLimit-Reset-After")
    if reset_after:
        return float(reset_after)
    try:  # Discord ({"retry_after": 1.5}) and Telegram ({"parameters": {"retry_after": 5}}) say it in the body
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        value = body.get("retry_after") or (body.get("parameters") or {}).get("retry_after")
        if isinstance(value, int | float):
            return float(value)
    return None


def _is_rate_limited(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    remaining = response.headers.get("X-RateLimit-Remaining") or response.headers.get("x-rate-limit-remaining")
    return response.status_code == 403 and remaining is not None and remaining.split(".")[0] == "0"


def request(
    method: str,
    url: str,
    *,
    headers: dict | None = None,
    params: dict | None = None,
    data: dict | None = None,
    auth: tuple[str, str] | None = None,
    ok_statuses: tuple[int, ...] = (200, 201, 304),
    auth_statuses: tuple[int, ...] = (401, 403),
    max_retries: int = MAX_RETRIES,
    timeout: httpx.Timeout = TIMEOUT,
) -> httpx.Response:
    """One call with the house policy. Returns the response when its status is in `ok_statuses`."""
    all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    if _quick.get():
        max_retries, timeout = 0, QUICK_TIMEOUT
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL as error:
        raise Refused("The address is not a valid URL.") from error
    attempt = 0
    while True:
        try:
            with guarded_client(timeout=timeout) as client:
                response = client.request(method, url, headers=all_headers, params=params, data=data, auth=auth)
        except OutboundRefused as error:
            raise Refused(str(error)) from None
        except httpx.TooManyRedirects as error:
            raise BadResponse(f"{host} redirected too many times") from error
        except httpx.TransportError as error:
            if attempt >= max_retries:
                raise TransientError(f"could not reach {host}: {_in_words(error)}") from error
            _backoff(attempt)
            attempt += 1
            continue
        if _is_rate_limited(response):
            wait = _retry_after(response)
            raise RateLimited(wait if wait is not None else 60, f"{host} rate limit")
        if response.status_code in ok_statuses:
            return response
        if response.status_code in auth_statuses:
            raise AuthFailed(response.status_code)
        if response.status_code >= 500:
            if attempt >= max_retries:
                raise TransientError(f"{host} answered {response.status_code}")
            _backoff(attempt)
            attempt += 1
            continue
        raise BadResponse(f"{host} answered {response.status_code}")


def _in_words(error: httpx.TransportError) -> str:
    """What went wrong, without the operating system's message (which reveals how the network answered)."""
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    if isinstance(error, httpx.ConnectError):
        return "the connection failed"
    return "the connection broke off"


def _backoff(attempt: int) -> None:
    delay = BACKOFF_BASE * (2**attempt)
    logger.info("retrying in %.1fs", delay)
    _sleep(delay)


def json_of(response: httpx.Response):
    """The JSON body, or a MalformedPage naming what was wrong."""
    from integrations.connectors.base import MalformedPayload

    try:
        return response.json()
    except ValueError as error:
        raise MalformedPayload(f"not JSON: {error}") from error
