"""Text and JSON from outside, made storable: values Postgres (or its driver) refuses are cleaned first.

One bad character in a batch made the whole INSERT fail: the NUL character (an RSS `&#0;`, a webhook's
`\\u0000`) is refused in `text` and `jsonb`, a lone UTF-16 surrogate (JSON's `"\\ud800"`) cannot be encoded as
UTF-8, and JSON's `1e400` parses to infinity, which `jsonb` refuses. None of them carries meaning in what Hearth
stores, so every validator of text from a platform or a client passes it through here: NUL is dropped, a lone
surrogate becomes U+FFFD, a non-finite number becomes null, and the rest of the message is kept.
"""

import math
import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value: str) -> str:
    return _UNSTORABLE.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", value)


def storable(value: Any) -> Any:
    """The value with every string in it (dict keys included) and every float made storable; JSON nests, so does this."""
    if isinstance(value, str):
        return _text(value) if _UNSTORABLE.search(value) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value
