"""The API's JSON parser: what Postgres cannot store or Python cannot parse is a 400 that says so, not a 500.

DRF's parser lets through what `json.loads` accepts: `\\u0000` in a string (refused by `text` and `jsonb`),
`1e400` and `NaN` (not JSON numbers `jsonb` takes), and arrays nested 100,000 deep (a RecursionError in the
parser itself). Bodies over `DATA_UPLOAD_MAX_MEMORY_SIZE` are answered 413 with the JSON error body.
"""

import json
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # no Hearth body nests deeper than a handful of levels


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The body is larger than this endpoint accepts."


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _check(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"the body nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("a string contains the NUL character (\\u0000)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            raw = stream.read() if stream is not None else b""
        except RequestDataTooBig:
            raise PayloadTooLarge(
                f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_000_000} MB."
            ) from None
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_float=_finite, parse_constant=_constant)
            _check(data)
        except RecursionError:
            raise ParseError("JSON parse error: the body nests too deeply.") from None
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors too
            raise ParseError(f"JSON parse error: {error}") from None
        return data
