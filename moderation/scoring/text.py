"""Text normalisation shared by the scorers: placeholder tokens for the spam model, a simhash for near-duplicates,
and de-obfuscation (accents, leetspeak, spacing, repeated letters) for the toxicity lexicon."""

import hashlib
import html
import itertools
import re
import unicodedata

URL = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|co|uk|ly|info|biz|me|tv|be|us|io|ru|xyz|gl)\b(?:/\S*)?"
)
EMAIL = re.compile(r"\S+@\S+\.\w+")
MENTION = re.compile(r"(?<![\w@])@\w{2,}")
PHONE = re.compile(r"\+?\d[\d -]{7,}\d")
MONEY = re.compile(r"(?i)[£$€]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:p|pence|gbp|usd)\b")
NUMBER = re.compile(r"\d+")
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


def placeholders(text: str) -> str:
    """Links, e-mail addresses, sums of money, phone numbers and numbers become tokens (zzurl, zzphone, zznum3 for
    a 3-digit number …): what spam shares is that it has a link or a number to call, not which one."""
    text = html.unescape(text).translate(INVISIBLE)
    text = EMAIL.sub(" zzemail ", text)
    text = URL.sub(" zzurl ", text)
    text = MONEY.sub(" zzmoney ", text)
    text = PHONE.sub(" zzphone ", text)
    return NUMBER.sub(lambda m: f" zznum{min(len(m.group()), 5)} ", text)


def model_text(text: str) -> str:
    """The spam model's preprocessor (module-level so the pickled pipeline refers to it by name)."""
    return placeholders(text).lower()


def links_and_mentions(text: str) -> tuple[int, int]:
    return len(URL.findall(text)) + len(EMAIL.findall(text)), len(MENTION.findall(text))


def _shingles(text: str) -> set[str]:
    # Words and word pairs: on comment-length text, 3-shingles move too many bits for one changed word.
    words = re.findall(r"\w+", placeholders(text).lower())
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def simhash(text: str) -> int | None:
    """64-bit simhash of words and word pairs, as a signed integer (a Postgres bigint); None when there is no word.

    Two texts a few words apart land a few bits apart; the listener counts an author's earlier texts within
    DUPLICATE_BITS of a new one in SQL (`bit_count`)."""
    shingles = _shingles(text)
    if not shingles:
        return None
    weights = [0] * 64
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    unsigned = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a",
                      "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "(": "c"})  # fmt: skip
SEPARATED = re.compile(r"\b(?:\w[\s.*_\-~]+){2,}\w\b")  # f u c k, f.u.c.k, f-u-c-k
REPEATS = re.compile(r"(\w)\1{2,}")
FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "\u0131": "i"})
JOINED = "\x00"  # marks a run of single letters joined again, so the lexicon may match inside it


def _leet(token: str) -> str:
    # Leetspeak only inside words with a letter (a lone "1" or "$5" stays a number), and not the final "!".
    head = token.rstrip("!?.,;:")
    if not re.search(r"[a-z]", head):
        return token
    return head.translate(LEET) + token[len(head) :]


def deobfuscate(text: str) -> str:
    """Lower case without accents, leetspeak read as letters, letters spaced or dotted apart joined again, and
    runs of three or more of a letter cut to one ("stuuuupid" → "stupid"). Joined runs are wrapped in JOINED
    marks, since their word boundaries are lost ("y o u a r e a n i d i o t")."""
    text = unicodedata.normalize("NFKD", text.translate(INVISIBLE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().translate(FOLD)
    text = re.sub(r"\S+", lambda m: _leet(m.group()), text)
    text = SEPARATED.sub(_join_letters, text)
    return REPEATS.sub(r"\1", text)


def _join_letters(match: re.Match) -> str:
    run = match.group()
    if not _single_letters(run):
        return run
    return " " + JOINED + re.sub(r"[\s.*_\-~]+", "", run) + JOINED + " "


def _single_letters(run: str) -> bool:
    parts = [p for p in re.split(r"[\s.*_\-~]+", run) if p]
    return len(parts) >= 3 and all(len(p) == 1 for p in parts)
