"""Watched-word matching: text folded (case, accents) with a map back to the original characters, each word or
phrase compiled to a pattern that also accepts spacing inside words ("b a d"), repeated letters and leetspeak,
regular expressions validated (syntax, and a time limit against hostile samples), and censoring by the map.

The `regex` package, not `re`: its `timeout=` stops a pattern that backtracks without end, at save time (the
pattern is refused) and at posting time (the pattern is skipped, and the post is not held up).
"""

import functools
import unicodedata
from dataclasses import dataclass

import regex

from community.errors import ServiceError

SAVE_TIMEOUT = 0.1  # seconds for a pattern against each hostile sample when it is saved
MATCH_TIMEOUT = 0.05  # seconds for one pattern against one post
FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "\u0131": "i"})
INVISIBLE = set("\ufeff\u200b\u200c\u200d\u2060\u00ad")
# Each letter of a watched word also matches what stands in for it: 0→o, 1→i/l, 3→e, 4→a, 5→s, 7→t, @→a, $→s …
LEET = {"a": "4@", "b": "8", "e": "3", "g": "9", "i": "1!|", "l": "1|", "o": "0", "s": "5$", "t": "7+"}
SEPARATOR = r"[\s.\-_*~]*"  # between the letters of one word: "b a d", "b.a.d", "b-a-d"
BETWEEN_WORDS = r"[\W_]*"  # between the words of a phrase
EDGE_BEFORE, EDGE_AFTER = r"(?<![\p{L}\p{N}])", r"(?![\p{L}\p{N}])"


def fold(text: str) -> tuple[str, list[int]]:
    """Lower case without accents (NFKD, combining marks dropped, ø ł ß … folded), invisible characters out; and
    for each folded character the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if char in INVISIBLE:
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.lower().translate(FOLD):
                out.append(folded)
                where.append(i)
    return "".join(out), where


def _letter(char: str) -> str:
    others = LEET.get(char, "")
    if not others and not char.isalnum():
        return regex.escape(char)
    return "[" + regex.escape(char + others) + "]+"


def _word_source(word: str) -> str:
    prefix = word.endswith("*")
    word = word.rstrip("*")
    body = SEPARATOR.join(_letter(c) for c in word)
    return body + (r"[\p{L}\p{N}]*" if prefix else "")


def pattern_source(kind: str, pattern: str) -> str:
    if kind == "regex":
        return pattern
    words = fold(pattern)[0].split()
    return EDGE_BEFORE + BETWEEN_WORDS.join(_word_source(w) for w in words) + EDGE_AFTER


@functools.lru_cache(maxsize=4096)
def compiled(kind: str, pattern: str) -> regex.Pattern:
    """Compiled once per process and pattern: posting reads the community's list from the cache, not a compile."""
    return regex.compile(pattern_source(kind, pattern), regex.IGNORECASE | regex.V0)


def _hostile_samples(pattern: str) -> list[str]:
    # Backtracking blows up on a long run of what the pattern repeats, ended by something it does not expect.
    chars = {c for c in pattern.lower() if c.isalnum()} | {"a", "x", "1"}
    samples = [c * 2000 + "!" for c in sorted(chars)[:12]]
    samples += [" ".join([c * 5] * 300) + "!" for c in sorted(chars)[:4]]
    samples.append("".join(sorted(chars)) * 100 + "!")
    return samples


def validate(kind: str, pattern: str) -> str:
    """The cleaned pattern, or a ServiceError saying what is wrong with it."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ServiceError("Give the word, phrase or pattern to watch for.", field="pattern")
    if len(pattern) > 200:
        raise ServiceError("Keep the pattern under 200 characters.", field="pattern")
    if kind not in ("word", "phrase", "regex"):
        raise ServiceError("Kind: word, phrase or regex.", field="kind")
    if kind != "regex":
        if not fold(pattern)[0].replace("*", "").strip():
            raise ServiceError("The word has no letters to match.", field="pattern")
        return " ".join(pattern.split())
    try:
        compiled_pattern = regex.compile(pattern, regex.IGNORECASE | regex.V0)
    except (regex.error, OverflowError, RecursionError) as error:
        raise ServiceError(f"This regular expression does not compile: {error}.", field="pattern") from None
    if compiled_pattern.search(""):
        raise ServiceError("This regular expression matches empty text, so it would match every post.", field="pattern")
    for sample in _hostile_samples(pattern):
        try:
            compiled_pattern.search(sample, timeout=SAVE_TIMEOUT)
        except TimeoutError:
            raise ServiceError(
                "This regular expression takes too long on some texts (catastrophic backtracking, e.g. a repeated "
                "group inside a repeat such as (a+)+): rewrite it without nested repeats.",
                field="pattern",
            ) from None
    return pattern


@dataclass(frozen=True)
class Rule:
    id: int
    pattern: str
    kind: str
    action: str
    message: str


@dataclass(frozen=True)
class Match:
    rule: Rule
    field: str  # "title" or "body"
    text: str  # what matched, in the original characters
    start: int  # in the original text
    end: int


def find(rules: list[Rule], fields: dict[str, str]) -> list[Match]:
    """Every match of every rule in each field; a pattern that runs out of time is skipped for this text."""
    found = []
    for name, text in fields.items():
        if not text:
            continue
        folded, where = fold(text)
        for rule in rules:
            try:
                spans = [m.span() for m in compiled(rule.kind, rule.pattern).finditer(folded, timeout=MATCH_TIMEOUT)]
            except TimeoutError:
                continue
            for start, end in spans:
                if end > start:
                    first, last = where[start], where[end - 1] + 1
                    found.append(Match(rule, name, text[first:last], first, last))
    return found


def censor(text: str, matches: list[Match], *, markdown: bool) -> str:
    """Each non-space character of the matches replaced by an asterisk (escaped in Markdown, so it is not emphasis)."""
    hidden = [False] * len(text)
    for match in matches:
        for i in range(match.start, match.end):
            hidden[i] = not text[i].isspace()
    star = "\\*" if markdown else "*"
    return "".join(star if hide else char for char, hide in zip(text, hidden, strict=True))
