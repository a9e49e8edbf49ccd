"""hearth-toxicity: a weighted lexicon read through de-obfuscation (text.deobfuscate), with insults aimed at a person
("you are an idiot", "u r trash") weighing more than the same word said of a thing.

A lexicon misses sarcasm and catches quotes; it is the cheap first pass, and the scorer interface lets a trained
model or a hosted service (Perspective) take over by setting (HEARTH_MODERATION_SCORERS)."""

import math
import re

from .base import ScoreInput, Verdict
from .text import JOINED, deobfuscate

# Weight 3: slurs and threats; 2: strong insults and profanity aimed easily at people; 1: rude, often banter.
# Kept to words whose ordinary use is abusive; stems match longer forms (idiots, fucking).
LEXICON: dict[str, int] = {
    "kill yourself": 3, "kys": 3, "go die": 3, "i will kill you": 3, "rape": 3, "faggot": 3, "fag": 3, "retard": 3,
    "nigger": 3, "nigga": 2, "tranny": 3, "kike": 3, "spic": 3, "chink": 3,
    "cunt": 3, "motherfucker": 3, "fuck you": 3, "fuck off": 3, "stfu": 2,
    "fuck": 2, "shit": 1, "bitch": 2, "bastard": 2, "asshole": 2, "dickhead": 2, "dick": 1, "prick": 2,
    "whore": 2, "slut": 2, "wanker": 2, "twat": 2, "moron": 2, "idiot": 2, "imbecile": 2, "dumbass": 2,
    "stupid": 1, "dumb": 1, "loser": 1, "pathetic": 1, "trash": 1, "garbage": 1, "scum": 2, "worthless": 2,
    "shut up": 1, "ugly": 1, "disgusting": 1, "hate you": 2, "piece of shit": 3, "clown": 1, "crap": 1,
}  # fmt: skip
_TERMS = sorted(LEXICON, key=len, reverse=True)
# Word-start anchored; stems may run on (idiots, fucking, retarded), except the short ones that would hit other words.
SHORT = {"fag", "dick", "dumb", "kys", "spic", "crap", "ugly", "rape", "clown", "trash", "shit", "ass"}
PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(t) + (r"(?:s|ed|ing|er|ers|y|ty|head|hole)?\b" if t in SHORT else r"\w*") for t in _TERMS)
    + ")"
)
# Inside a run of spaced-out letters joined again, any term of four letters or more counts wherever it sits.
INSIDE = re.compile("|".join(re.escape(t.replace(" ", "")) for t in _TERMS if len(t.replace(" ", "")) >= 4))
RUN = re.compile(JOINED + "([a-z]+)" + JOINED)
TARGETED = re.compile(r"\b(?:you|u|ur|youre|you're|your|ya)\b(?:\s+\w+){0,3}\s*$")
SCALE = 0.45  # 1 - exp(-0.45 * weight): one strong insult ≈ 0.6, aimed at someone ≈ 0.8, two ≈ 0.84


def _term(match: str) -> int:
    for term in _TERMS:
        if match.startswith(term) or match == term.replace(" ", ""):
            return LEXICON[term]
    return 1


def toxicity(text: str) -> tuple[float, list[str]]:
    plain = deobfuscate(text)
    weight, targeted = 0.0, False
    for run in RUN.finditer(plain):
        for match in INSIDE.finditer(run.group(1)):
            weight += LEXICON.get(match.group()) or _term(match.group())
            targeted = targeted or bool(re.match(r"(?:you|u|ur)", run.group(1)))
    plain = RUN.sub(" ", plain)
    for match in PATTERN.finditer(plain):
        w = _term(match.group(1))
        before = plain[max(0, match.start() - 30) : match.start()]
        if TARGETED.search(before):
            w *= 1.5
            targeted = True
        weight += w
    if not weight:
        return 0.0, []
    score = round(1 - math.exp(-SCALE * weight), 4)
    return score, ["insult aimed at someone" if targeted else "abusive language"]


class LexiconToxicityScorer:
    name = "hearth-toxicity"
    version = "1"

    def score(self, items: list[ScoreInput]) -> list[Verdict]:
        verdicts = []
        for item in items:
            score, reasons = toxicity(item.text)
            verdicts.append(Verdict(toxicity=score, reasons=reasons))
        return verdicts
