"""Watch-list phrases matched accent- and case-insensitively, the same way in Python (the phrases) and in SQL
(the activities' text, inside the window's one query): lower-cased, common Latin accents folded by `translate`,
whole words only, any run of spaces between the words of a phrase."""

import re
import unicodedata

from community.errors import ServiceError

# Folded by Postgres' translate() (no extension needed); Python folds the same letters, and strips any other
# combining mark from the phrases too.
ACCENTED = "àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöøōőùúûüūůűųýÿźżžśšşřłđ"
PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiinnnoooooooouuuuuuuuyyzzzsssrld"

_FOLD = str.maketrans(ACCENTED, PLAIN)

MAX_PHRASES = 50


def fold(text: str) -> str:
    text = text.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def phrases_clean(phrases: list[str]) -> list[str]:
    """The phrases as typed (spaces tidied), one of each folded form."""
    cleaned, seen = [], set()
    for phrase in phrases:
        words = str(phrase).split()
        key = fold(" ".join(words))
        if words and key not in seen:
            seen.add(key)
            cleaned.append(" ".join(words)[:100])
    if len(cleaned) > MAX_PHRASES:
        raise ServiceError(f"At most {MAX_PHRASES} phrases per rule.", field="keywords")
    return cleaned


def phrases_regex(phrases: list[str]) -> str:
    """A Postgres ARE matching any phrase as whole words (\\m, \\M), for the folded text."""
    parts = [r"\s+".join(re.escape(word) for word in fold(phrase).split()) for phrase in phrases_clean(phrases)]
    return r"\m(" + "|".join(parts) + r")\M" if parts else ""


def folded_text_sql(alias: str = "a") -> str:
    return f"translate(lower({alias}.title || ' ' || {alias}.body), '{ACCENTED}', '{PLAIN}')"
