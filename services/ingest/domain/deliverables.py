"""Deliverables: the head nouns a commitment promises ("advies", "conferentie", "brief") and their aliases."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from services.ingest.domain.patterns import compile_guarded

DELIVERABLES: dict[str, str] = {
    "advies": "advies", "adviezen": "advies", "adviesrapport": "advies",
    "conferentie": "conferentie", "conferenties": "conferentie", "summit": "conferentie", "top": "conferentie",
    "congres": "conferentie", "symposium": "conferentie",
    "bijeenkomst": "bijeenkomst", "bijeenkomsten": "bijeenkomst", "workshop": "bijeenkomst",
    "workshops": "bijeenkomst", "consultatie": "consultatie", "consultaties": "consultatie",
    "brief": "brief", "brieven": "brief", "kamerbrief": "brief",
    "beleidskader": "beleidskader", "nota": "nota", "notitie": "notitie", "rapport": "rapport",
    "rapportage": "rapportage", "verslag": "verslag", "evaluatie": "evaluatie", "onderzoek": "onderzoek",
    "studie": "studie", "wetsvoorstel": "wetsvoorstel", "strategie": "strategie", "actieplan": "actieplan",
    "agenda": "agenda", "kabinetsreactie": "kabinetsreactie", "reactie": "kabinetsreactie", "visie": "visie",
    "analyse": "analyse", "initiatief": "initiatief", "verkenning": "verkenning", "overzicht": "overzicht",
    "update": "update", "voortgangsrapportage": "rapportage", "routekaart": "routekaart",
    "handreiking": "handreiking", "protocol": "protocol", "verklaring": "verklaring",
    "standpunt": "standpunt", "kabinetsstandpunt": "standpunt", "monitor": "monitor",
    "inventarisatie": "inventarisatie", "dialoog": "dialoog", "wetgeving": "wetsvoorstel",
    "regelgeving": "wetsvoorstel", "plan": "plan", "besluit": "besluit",
}  # fmt: skip
# Compound heads: "expertbijeenkomst", "AIV-advies", "eindverklaring" end in a deliverable noun.
_COMPOUND_HEADS = (
    "bijeenkomst", "bijeenkomsten", "conferentie", "advies", "kader", "verklaring", "rapport",
    "rapportage", "brief", "strategie", "plan", "onderzoek", "evaluatie", "reactie", "agenda",
)  # fmt: skip
_TOKEN = re.compile(r"[\w’'-][\w’'-]*")  # = [\w’'-]+, but lets the engine skip to the next word
_DETERMINER_INDEFINITE = compile_guarded(r"\b(?:een|nieuwe?|eerste|tweede|extra)\b", re.IGNORECASE)
_DETERMINER_DEFINITE = compile_guarded(r"\b(?:de|het|dit|deze|die|dat|genoemde|voornoemde)\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def deliverable_of(token: str) -> str | None:
    word = token.lower().strip(".,;:()'’“”\"«»")
    if word in DELIVERABLES:
        return DELIVERABLES[word]
    word = word.split("-")[-1]
    if word in DELIVERABLES and word != "top":
        return DELIVERABLES[word]
    for head in _COMPOUND_HEADS:
        if word.endswith(head) and len(word) - len(head) >= 3:
            return DELIVERABLES.get(head, "beleidskader" if head == "kader" else head)
    return None


class Mention(NamedTuple):  # a tuple: cheaper to make than a dataclass
    """A deliverable named in a text: at `position`, definite ("de conferentie") or not ("een advies")."""

    deliverable: str
    position: int
    definite: bool
    surface: str


def find_objects(text: str, aliases: dict[str, tuple[str, str]], offset: int = 0) -> list[Mention]:
    """Deliverables named in `text` (aliases first, then nouns), in text order; positions + `offset`."""
    found: list[Mention] = []
    for alias, (named, _) in aliases.items():
        for match in re.finditer(re.escape(alias), text):
            found.append(Mention(named, offset + match.start(), True, alias))
    for match in _TOKEN.finditer(text):
        deliverable = deliverable_of(match.group(0))
        if deliverable is None or any(o.position <= offset + match.start() < o.position + len(o.surface)
                                      for o in found):  # fmt: skip
            continue
        before = text[max(0, match.start() - 30) : match.start()].split()[-3:]
        lead = " ".join(before)
        indefinite = bool(_DETERMINER_INDEFINITE.search(lead)) and not _DETERMINER_DEFINITE.search(
            " ".join(before[-1:])
        )
        found.append(Mention(deliverable, offset + match.start(), not indefinite, match.group(0)))
    return sorted(found, key=lambda o: o.position)


_ALIAS = re.compile(r"\((?:hierna|hierna\s+te\s+noemen)\s*:?\s*(?P<alias>[^)]{1,40})\)")
# The leftmost match starts where a word does (a match inside a word extends to its start), so the
# look-behind only skips hopeless positions: without it every position of every word is tried.
_NOUN_PHRASE_BEFORE = re.compile(r"(?<![\w’'-])(?:[\w’'-]+\s+){1,9}$")


def find_aliases(body: str) -> dict[str, tuple[str, str]]:
    """ "(hierna: REAIM Summit)" -> {"REAIM Summit": ("conferentie", "<the noun phrase it stands for>")}."""
    aliases: dict[str, tuple[str, str]] = {}
    for match in _ALIAS.finditer(body):
        alias = match.group("alias").strip()
        before = _NOUN_PHRASE_BEFORE.search(body[max(0, match.start() - 150) : match.start()])
        phrase = before.group(0) if before else ""
        objects = find_objects(phrase, {})
        head = objects[0].deliverable if objects else deliverable_of(alias.split()[-1])
        if head:
            aliases[alias] = (head, phrase)
    return aliases
