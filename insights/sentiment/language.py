"""A light language guess: the dominant script, then, for Latin text, the language whose function words occur most.

Good enough to tell English (which the analyser reads) from other languages (left unscored) on forum posts and
chat, and cheap (one pass over the words, no model). What it returns: an ISO 639-1 code; for a non-Latin script
the script's main language (Cyrillic is taken as "ru", Han without kana as "zh"); "und" (undetermined) when a
text has no letters or too few words to tell, which the analyser still scores (emoji, "lol", "+1").
Measured on the training sets (docs/insights.md): every English snippet is "en" or "und".
"""
# ruff: noqa: RUF001 -- function words of other languages: the look-alike letters are the point

import re

import regex

UNDETERMINED = "und"
SCORED_LANGUAGES = frozenset({"en", UNDETERMINED})

_WORD = regex.compile(r"[\p{L}\p{M}']+")
_ASCII_WORD = re.compile(r"[a-z']+")
_SCRIPTS = (
    ("ja", regex.compile(r"[\p{Hiragana}\p{Katakana}]")),
    ("zh", regex.compile(r"\p{Han}")),
    ("ko", regex.compile(r"\p{Hangul}")),
    ("ru", regex.compile(r"\p{Cyrillic}")),
    ("el", regex.compile(r"\p{Greek}")),
    ("ar", regex.compile(r"\p{Arabic}")),
    ("he", regex.compile(r"\p{Hebrew}")),
    ("hi", regex.compile(r"\p{Devanagari}")),
    ("th", regex.compile(r"\p{Thai}")),
)
_LATIN = regex.compile(r"\p{Latin}")

_FUNCTION_WORDS = {
    "en": "the a an and or but of to in on at for with is are was were be been it this that these those i you he "
    "she we they my your not no do does did have has had will would can could should what which who how why "
    "there here very so just all any some if than then me us them our their its as by from about",
    "es": "el la los las y o pero de del en con por para es son está están un una que no muy como más se lo le "
    "mi su al ya gracias sí también hay",
    "pt": "o a os as e ou mas de do da dos das em no na com por para é são um uma que não muito como mais se "
    "eu você já obrigado também está",
    "fr": "le la les et ou mais de des du en dans avec pour est sont un une que qui ne pas très comme plus se "
    "je tu il elle nous vous ils au aux ce cette c'est merci",
    "de": "der die das und oder aber von zu im in mit für ist sind ein eine einen nicht sehr wie mehr sich ich "
    "du er sie wir ihr es den dem auf nach können danke",
    "it": "il lo la gli le e o ma di del della in con per è sono un una che non molto come più si io tu lui "
    "noi voi ha grazie anche",
    "nl": "de het een en of maar van te in op met voor is zijn niet zeer hoe meer ik jij hij wij jullie dat dit "
    "bedankt ook",
    "tr": "ve veya ama bir bu şu için ile çok daha değil ben sen o biz siz onlar mı mi da de ne nasıl teşekkürler",
    "pl": "i lub ale w z na do jest są nie bardzo jak czy się ja ty on my wy to że dziękuję",
    "vi": "và hoặc nhưng của trong với cho là không rất như bạn mình tôi đã được rồi cảm ơn",
}
# A word English also has ("a", "no", "in", "die", "con") is no evidence against English, so it counts only there.
_ENGLISH = frozenset(_FUNCTION_WORDS["en"].split())
_WORDS_BY_LANGUAGE = {
    language: frozenset(w for w in words.split() if len(w) > 1 or language == "en")
    - (set() if language == "en" else _ENGLISH | {"a", "o", "e", "i", "die", "son"})
    for language, words in _FUNCTION_WORDS.items()
}
# Letters that only some languages use: one hit each, so short texts without function words still tell.
_LETTER_HINTS = {
    "es": regex.compile(r"[ñ¿¡]"),
    "pt": regex.compile(r"[ãõ]"),
    "de": regex.compile(r"[ß]"),
    "tr": regex.compile(r"[ığş]"),
    "pl": regex.compile(r"[łąęśźżćń]"),
    "vi": regex.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]"),
}


_CONTRACTIONS = ("'s", "n't", "'m", "'re", "'ll", "'ve", "'d")
_lexicon: frozenset[str] | None = None


def _english_lexicon() -> frozenset[str]:
    global _lexicon
    if _lexicon is None:
        from .features import vader_analyzer

        _lexicon = frozenset(w for w in vader_analyzer().lexicon if w.isalpha() and len(w) > 2)
    return _lexicon


def language_of(text: str) -> str:
    if text.isascii():  # the common case, and a cheap one: Latin letters only, no script to weigh
        words = _ASCII_WORD.findall(text.lower())
        if not words:
            return UNDETERMINED
    else:
        latin = len(_LATIN.findall(text))
        best_script, best_count = None, 0
        for language, pattern in _SCRIPTS:
            count = len(pattern.findall(text))
            if count > best_count:
                best_script, best_count = language, count
            if language == "ja" and count:
                break  # kana marks Japanese even when kanji outnumber it
        if best_script and best_count > latin:
            return best_script
        if latin == 0:
            return UNDETERMINED
        words = [w.lower() for w in _WORD.findall(text)]
    hits = {language: sum(w in vocabulary for w in words) for language, vocabulary in _WORDS_BY_LANGUAGE.items()}
    lowered = text.lower()
    for language, pattern in _LETTER_HINTS.items():
        hits[language] += min(len(pattern.findall(lowered)), 3)
    # English evidence also counts its contractions ("that's", "don't") and words of VADER's (English) lexicon,
    # so chatty English with few function words ("Ha, that's AWESOME!!! GREAT song") stays English.
    lexicon = _english_lexicon()
    english = hits.pop("en") + sum(w in lexicon or w.endswith(_CONTRACTIONS) for w in words)
    other, other_hits = max(hits.items(), key=lambda pair: pair[1])
    # English wins ties: many short function words ("a", "in", "de") are shared, and English is the common case.
    if other_hits >= 2 and other_hits > 1.5 * english:
        return other
    if english == 0 and len(words) >= 4:
        return UNDETERMINED if other_hits == 0 else other
    return "en" if english else UNDETERMINED


def is_scored(language: str) -> bool:
    return language in SCORED_LANGUAGES
