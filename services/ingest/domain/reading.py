"""Grammar reading of one sentence: a future or intention marker, its subject actor and its object."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from services.ingest.domain.actors import ActorHit, find_actors
from services.ingest.domain.deliverables import Mention, find_objects
from services.ingest.domain.needles import FastPattern
from services.ingest.domain.patterns import compile_guarded
from services.ingest.domain.vocabulary import (
    COMPLETION_WORDS,
    EXPECTED_ACT_INFINITIVES,
    NOT_NAMES,
    ORGANISATION_ENDINGS,
    SPEECH_ACT_VERBS,
    STATE_VERBS,
    alternation,
)

_SUBJECT_PRONOUN = r"(?:ik|wij|we|het\s+kabinet)\s+"
_MARKER = compile_guarded(
    r"\b(?:zal|zullen|zult)\b|\bvoornemens\b|\b(?:heb|heeft|hebben)\s+(?:\S+\s+){0,2}?het\s+voornemen\b|\bvan\s+plan\b"
    r"|\bbeoogt\b|\bbeogen\b|\b(?:streef|streeft|streven)\s+(?:\S+\s+){0,2}?ernaar\b"
    r"|\b(?:wil|willen)\b(?!\s+"
    + "(?:"
    + _SUBJECT_PRONOUN
    + r")?(?:graag\s+)?(?:\S+\s+){0,2}?(?:"
    + alternation(SPEECH_ACT_VERBS)
    + r")\b)"
    r"|\b(?:neemt|nemen)\b(?:\s+\w+){0,2}\s+het\s+initiatief\b"
    # "Ik zeg toe ... te informeren": the separable verb "toezeggen"
    r"|\b(?:zeg|zegt|zeggen)\b(?=(?:\s+\S+){0,4}?\s+toe\b)"
    # "Ik verwacht uw Kamer voor de zomer te informeren", "verwacht de ILT het rapport op te kunnen leveren": one's
    # own announced act, not a prediction
    r"|\bverwacht(?:en)?\b(?!\s+dat\b)(?=(?:\s+\S+){0,10}?\s+(?:toe\s+|op\s+|af\s+|uit\s+)?te\s+(?:kunnen\s+)?(?:"
    + alternation(EXPECTED_ACT_INFINITIVES)
    + r")\b)"
    # "Ja, ik ben bereid te onderzoeken ...", not "niet bereid"
    r"|(?<!niet\s)\bbereid\b(?=(?:\s+\S+){0,10}?\s+te\s+\w+)"
    # "Daarom zie ik mij genoodzaakt ... vast te leggen"
    r"|\bgenoodzaakt\b(?=(?:\s+\S+){0,14}?\s+te\s+\w+)"
    r"|\b(?:ga|gaat|gaan)\b(?!\s+(?:"
    + _SUBJECT_PRONOUN
    + r")?(?:niet\s+|wel\s+|ook\s+)?(?:het\s+)?(?:(?:er|daar|hier)?om|over|uit|samen|"
    r"gepaard|verder\s+dan|akkoord|"
    r"(?:er|daar|hier)van\s*uit|(?:\S+\s+){0,8}?in\s+op)\b)"
    r"(?=(?:\s+\S+){0,8}\s+\w+en\b|(?:\s+\S+){0,6}?\s+(?:in\s+gesprek|aan\s+de\s+slag|over\s+tot)\b)",
    re.IGNORECASE,
)
_PASSIVE = re.compile(r"\b(?:worden|wordt)\b", re.IGNORECASE)
_AGENT = re.compile(r"\bdoor\s+(?:o\.a\.\s+)?(?P<agent>[\w.’'-]+(?:\s+[\w.’'-]+){0,3})", re.IGNORECASE)
_SUBORDINATOR = compile_guarded(
    r"\b(?:dat|die|wat|welke|waar\w*|omdat|zodat|wanneer|indien|nadat|voordat|zodra|terwijl|hoewel|doordat|"
    r"of)\b",
    re.IGNORECASE,
)
# "is ... gaan inzetten": a perfect tense, not a plan
_PERFECT_GAAN = FastPattern(r"\b(?:is|zijn|was|waren)\b[^,.]{0,80}\bgaan\s+\w+en\b", re.IGNORECASE)
_NECESSITY = re.compile(r"\bmoeten\b", re.IGNORECASE)
# "wil een leidende rol spelen", "wil ... actief ondersteunen": an ambition or a stance, not a deliverable
_AMBITION = re.compile(
    r"^(?:wil|willen)\b.*(?:\brol\s+(?:\w+\s+)?spelen\b|\b(?:ondersteunen|stimuleren|bevorderen|versterken|"
    + alternation(STATE_VERBS)
    + r")\b)",
    re.IGNORECASE,
)
_MAX_MARKERS = 6  # future/intention markers tried per sentence
# what _ends_coordinated tests, without scanning the text (tests/unit/test_patterns.py compares the two)
_COORDINATED = re.compile(r"\b(?:en|maar|of)\s*$", re.IGNORECASE)
_HEDGE = compile_guarded(r"\b(?:mogelijk|wellicht|waarschijnlijk|naar\s+verwachting|moeten|kunnen|zou)\b", re.I)
_INFORM_PARLIAMENT = compile_guarded(
    r"\b(?:uw|de)\s+[Kk]amer\b.*\b(?:informeren|geïnformeerd|geinformeerd|inlichten|ingelicht|"
    r"sturen|toesturen|toegestuurd|zenden|toezenden|rapporteren)\b"
    r"|\b(?:informeren|informeer)\s+(?:wij|we|ik)?\s*u\b|\bu\s+(?:\w+\s+){0,3}(?:informeren|inlichten)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\s+(?P<name>[A-Z][a-zA-Z]{2,}[A-Za-z]*)(?=\s+[a-z])")
_NAME_FIRST = re.compile(r"[A-Z][a-zA-Z]{2,}\s+")
# "in Nederland zal ...": an actor inside a prepositional phrase is not the subject
_AFTER_PREPOSITION = re.compile(r"\b(?:in|van|voor|met|naar|uit|bij|door|aan|over|op|tussen|binnen)\s+$", re.I)
# a subordinate clause puts its finite verb last; a subject pronoun right after the verb means inversion
_INVERTED_SUBJECT = re.compile(r"\s+(?:ik|wij|we|het\s+kabinet|de\s+regering)\b", re.IGNORECASE)
# "Naar verwachting zal het onderzoek eind dit jaar kunnen worden afgerond": an expected delivery, dated
_EXPECTED_DELIVERY = compile_guarded(r"\b(?:" + alternation(COMPLETION_WORDS) + r")\b", re.IGNORECASE)
_HARD_HEDGE = compile_guarded(r"\b(?:mogelijk|wellicht|waarschijnlijk|moeten|zou)\b", re.IGNORECASE)
# "zal geen maatregelen nemen", "is niet voornemens", "Daar ga ik niet over": a refusal, not a promise
_NEGATION = re.compile(r"\b(?:niet(?!\s+alleen\b)|geen)\b", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"\bniet\s+$", re.IGNORECASE)
PARENTHESES = re.compile(r"\([^()]{0,200}\)")


@dataclass(frozen=True)
class Reading:
    actor: str | None
    deliverable: str | None
    definite: bool
    marker: int
    passive: bool
    reference: bool = False  # the deliverable is a fronted definite reference ("Met de conferentie beoogt ...")


@lru_cache(maxsize=16)  # one sentence is bounded at each of its markers, three times each
def _masked(text: str) -> str:
    """`text` with the inside of parentheses blanked: commas in (...) don't count."""
    return PARENTHESES.sub(lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", text)


def _ends_coordinated(text: str) -> bool:
    """_COORDINATED.search(text) without a scan: `text` ends in the word "en", "maar" or "of" (any case)."""
    stripped = text.rstrip()  # str.isspace() is what \s matches
    for word in ("en", "maar", "of"):
        if stripped[-len(word) :].lower() == word and len(stripped) >= len(word):
            before = stripped[-len(word) - 1 : -len(word)]
            if not (before.isalnum() or before == "_"):  # a word boundary, as \b sees it
                return True
    return False


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    text = _masked(text)
    start = max(text.rfind(",", 0, position), text.rfind(";", 0, position), text.rfind(":", 0, position)) + 1
    ends = [i for i in (text.find(",", position), text.find(";", position)) if i != -1]
    return start, min(ends) if ends else len(text)


def _subject_actor(
    text: str, marker: re.Match[str], actors: list[ActorHit], clause_start: int, clause_end: int
) -> str | None:
    """The actor that is the subject of the marker: just before it, or just after it (inversion)."""
    before = [a for a in actors if clause_start <= a.start < marker.start() and marker.start() - a.end <= 60
              and not _AFTER_PREPOSITION.search(text[max(0, a.start - 12) : a.start])]  # fmt: skip
    after = [a for a in actors if marker.end() <= a.start < min(clause_end, marker.end() + 35)]
    if before and not _SUBORDINATOR.search(text[before[-1].end : marker.start()]):
        return before[-1].name
    if after:
        return after[0].name
    if _ends_coordinated(text[clause_start : marker.start()]) or not text[clause_start : marker.start()].strip():
        # elliptic subject: "Het kabinet wacht ... af en zal ..." / "..., maar zal zich ..."
        earlier = [a for a in actors if a.start < marker.start()]
        return earlier[0].name if earlier else None
    return None


def _in_subordinate_clause(text: str, marker: re.Match[str], actors: list[ActorHit], clause_start: int) -> bool:
    if _INVERTED_SUBJECT.match(text, marker.end()):
        return False  # "Wanneer dit is afgerond zal ik ...": a finite verb before its subject is a main clause
    head = text[clause_start : marker.start()]
    subordinators = list(_SUBORDINATOR.finditer(head))
    if not subordinators:
        return False
    last = subordinators[-1]
    return not any(clause_start + last.end() <= a.start < marker.start() for a in actors)


def _scope_end(text: str, marker: re.Match[str], clause_end: int) -> int:
    """The marker's own stretch of words: up to the clause end, the next subordinate clause or marker."""
    ends = [clause_end]
    for pattern in (_SUBORDINATOR, _MARKER):
        following = pattern.search(text, marker.end(), clause_end)
        if following:
            ends.append(following.start())
    return min(ends)


def _named_subject(text: str, marker: re.Match[str]) -> str | None:
    """A bare proper name with an inner capital or an organisation's ending right after the verb ("Daarnaast zal
    Gasunie onderzoeken") or opening the sentence right before it ("TenneT zal ..."): a named organisation."""
    after = _NAME.match(text, marker.end())
    name = after.group("name") if after else None
    if name is None and _NAME_FIRST.fullmatch(text[: marker.start()]):
        name = text[: marker.start()].strip()
    if name is None or name.lower() in NOT_NAMES:
        return None
    if not any(c.isupper() for c in name[1:]) and not name.lower().endswith(ORGANISATION_ENDINGS):
        return None  # "Azerbeidzjan zal", "Gemeenten zullen": a plain capital word may be a country or a group
    return name


def read_sentence(text: str, actors: list[ActorHit], aliases: dict[str, tuple[str, str]]) -> Reading | None:
    """The first marker (of at most six) that reads as a promise: its subject actor (None for an agentless
    passive) and the deliverable it promises; None when no marker does."""
    for count, marker in enumerate(_MARKER.finditer(text)):
        if count >= _MAX_MARKERS:
            break
        clause_start, clause_end = clause_bounds(text, marker.start())
        coordinated = _ends_coordinated(text[: marker.start()])
        if (not coordinated and _in_subordinate_clause(text, marker, actors, clause_start)) or _PERFECT_GAAN.search(
            text[: marker.end() + 40]
        ):
            continue
        scope_end = _scope_end(text, marker, clause_end)
        clause = text[clause_start:scope_end]
        actor = _subject_actor(text, marker, actors, clause_start, clause_end) or _named_subject(text, marker)
        passive = bool(_PASSIVE.search(text[marker.end() : scope_end]))
        after = find_objects(text[marker.end() : scope_end], aliases, marker.end())
        if actor is None:
            if not passive or (
                _HEDGE.search(clause) and (_AGENT.search(text) or not _expected_delivery(clause, aliases))
            ):
                continue
            agent = _AGENT.search(text[marker.end() : scope_end])
            if agent and not find_actors(agent.group("agent")):
                continue  # "zullen gedaan worden door o.a. Prof. ..." : someone else's act
            # agentless passive: the subject precedes or follows the marker
            objects = find_objects(text[clause_start : marker.start()], aliases, clause_start) + after
        elif after:
            objects = after  # the object follows the marker
        else:
            # else a fronted phrase names it ("Met de REAIM Summit wil ...")
            fronted = [o for o in find_objects(text[: marker.start()], aliases) if o.definite]
            fronted = [o for o in fronted if not any(a.start < o.position for a in actors)]
            objects = fronted[-1:]
        concrete = any(not o.definite for o in after)
        ambition = not concrete and _AMBITION.search(f"{marker.group(0)} {text[marker.end() : scope_end]}")
        negated = _NEGATION.search(text[marker.end() : scope_end]) or _NEGATED_BEFORE.search(text[: marker.start()])
        if _NECESSITY.search(text[marker.end() : scope_end]) or ambition or negated:
            continue  # "zal ... moeten ontwikkelen", "wil een leidende rol spelen": not a promise
        chosen = next((o for o in objects if not o.definite), objects[0] if objects else None)
        if _INFORM_PARLIAMENT.search(text[marker.start() : clause_end + 80]) or (
            actor is None and _INFORM_PARLIAMENT.search(text[clause_start : clause_end + 80])
        ):
            chosen = Mention("brief", marker.start(), False, "brief")
        reference = bool(chosen and chosen.definite and (chosen.position < marker.start() or actor is None))
        return Reading(actor, chosen.deliverable if chosen else None, chosen.definite if chosen else False,
                        marker.start(), passive, reference)  # fmt: skip
    return None


def _expected_delivery(clause: str, aliases: dict[str, tuple[str, str]]) -> bool:
    """Only "naar verwachting" / "kunnen" hedge the clause, and it names a deliverable that is completed."""
    return (
        not _HARD_HEDGE.search(clause)
        and _EXPECTED_DELIVERY.search(clause) is not None
        and bool(find_objects(clause, aliases))
    )
