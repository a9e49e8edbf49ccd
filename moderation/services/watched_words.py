"""Watched words: adding, changing and removing them (each logged), and the tester's answer for a text."""

from django.db import IntegrityError, transaction

from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can

from ..models import WatchedWord, WordAction
from ..rules import words
from ..rules.cache import rules_changed, rules_for
from .log import log_record

# When several rules match, the strongest action decides.
STRENGTH = {WordAction.BLOCK: 4, WordAction.HOLD: 3, WordAction.FLAG: 2, WordAction.CENSOR: 1}
DEFAULT_BLOCK_MESSAGE = "Your post contains a word this community does not allow. Please rephrase it."


def _require(actor: Actor) -> None:
    if not can(actor, "moderation.rules"):
        raise ServiceError("Your role or key scopes do not allow changing the watched words.", code="permission_denied")


def _clean(kind: str, pattern: str, action: str, message: str) -> tuple[str, str]:
    pattern = words.validate(kind, pattern)
    if action not in WordAction.values:
        raise ServiceError(f"Action: one of {', '.join(WordAction.values)}.", field="action")
    message = " ".join((message or "").split())
    if len(message) > 300:
        raise ServiceError("Keep the message under 300 characters.", field="message")
    return pattern, message


def _state(word: WatchedWord) -> dict:
    return {"pattern": word.pattern, "kind": word.kind, "action": word.action, "message": word.message}


def _save(community: Community, word: WatchedWord, fields=None) -> None:
    try:
        with transaction.atomic():
            word.save(update_fields=fields)
    except IntegrityError:
        raise ServiceError("This pattern is already watched.", code="conflict", field="pattern") from None
    rules_changed(community.pk)


def watched_word_create(
    *, community: Community, actor: Actor, pattern: str, action: str, kind: str = "word", message: str = ""
) -> WatchedWord:
    _require(actor)
    pattern, message = _clean(kind, pattern, action, message)
    member = actor.member if actor.api_key is None else None
    word = WatchedWord(
        community=community, pattern=pattern, kind=kind, action=action, message=message, created_by=member
    )
    _save(community, word)
    log_record(community=community, actor=actor, action="watched_word.add", after=_state(word))
    return word


def watched_word_update(*, community: Community, actor: Actor, word: WatchedWord, **changes) -> WatchedWord:
    _require(actor)
    unknown = set(changes) - {"pattern", "kind", "action", "message"}
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    before = _state(word)
    merged = {**before, **{k: v for k, v in changes.items() if v is not None}}
    merged["pattern"], merged["message"] = _clean(
        merged["kind"], merged["pattern"], merged["action"], merged["message"]
    )
    for name, value in merged.items():
        setattr(word, name, value)
    if merged != before:
        _save(community, word, ["pattern", "kind", "action", "message"])
        log_record(community=community, actor=actor, action="watched_word.change", before=before, after=merged)
    return word


def watched_word_delete(*, community: Community, actor: Actor, word: WatchedWord) -> None:
    _require(actor)
    before = _state(word)
    WatchedWord.objects.for_community(community).filter(pk=word.pk).delete()
    rules_changed(community.pk)
    log_record(community=community, actor=actor, action="watched_word.remove", before=before)


def strongest(matches: list[words.Match]) -> str | None:
    return max((m.rule.action for m in matches), key=STRENGTH.__getitem__, default=None)


def block_message(matches: list[words.Match]) -> str:
    blocking = [m for m in matches if m.rule.action == WordAction.BLOCK]
    return next((m.rule.message for m in blocking if m.rule.message), DEFAULT_BLOCK_MESSAGE)


def _match(m: words.Match) -> dict:
    return {"id": m.rule.id, "pattern": m.rule.pattern, "kind": m.rule.kind, "action": m.rule.action, "text": m.text}


def watched_words_test(*, community: Community, text: str) -> dict:
    """What the rules would do with a text: the matches and the action that would apply (the settings tester)."""
    if len(text or "") > 20_000:
        raise ServiceError("Test at most 20,000 characters.", field="text")
    matches = words.find(rules_for(community), {"body": text or ""})
    action = strongest(matches)
    return {
        "action": action,
        "message": block_message(matches) if action == WordAction.BLOCK else "",
        "matches": [
            {"id": m.rule.id, "pattern": m.rule.pattern, "kind": m.rule.kind, "action": m.rule.action, "text": m.text}
            for m in matches
        ],
        "censored": words.censor(text or "", [m for m in matches if m.rule.action == "censor"], markdown=False),
    }
