"""Actors: who acts in a sentence (government, minister, advisory bodies) and who signed the letter."""

from __future__ import annotations

import re
from typing import NamedTuple

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.patterns import compile_guarded
from services.ingest.domain.vocabulary import GOVERNMENT_ACTORS, NOT_BODY_ABBREVIATIONS

GOVERNMENT = GOVERNMENT_ACTORS  # re-exported: the government's actor names
# "De Minister voor Armoedebeleid, Participatie en Pensioenen," (a portfolio may list several fields, and the
# signature may break over lines: "de minister van Volksgezondheid,\nWelzijn en Sport,")
_SIGNER = re.compile(
    r"\b[Dd]e\s+[Mm]inister\s+(?P<of>(?:van|voor)\s+[A-Z][\w-]*(?:(?:\s*,\s*|\s+(?:en\s+)?)[A-Z][\w-]*)*)\s*,"
)
# answers to written questions: "Antwoord van minister De Boer (Justitie en Veiligheid)", "... aan de minister
# voor Klimaat en Energie over ..."
_ANSWERING = re.compile(r"\bAntwoord\s+van\s+(?:de\s+)?[Mm]inister\s+[^()\n]{0,60}?\((?P<of>[A-Z][^()\n]{2,80})\)")
_ADDRESSEE = re.compile(
    r"\baan\s+de\s+[Mm]inister\s+(?P<prep>van|voor)\s+(?P<of>[A-Z][\w-]*(?:,?\s+(?:en\s+)?[A-Z][\w-]*)*)"
)
# "-raad" words that name no advisory body: EU Council formations, UN councils, local councils
_NOT_BODIES = frozenset({
    "Milieuraad", "Energieraad", "Transportraad", "Vervoersraad", "Telecomraad", "Landbouwraad", "Visserijraad",
    "Mededingingsraad", "Concurrentievermogenraad", "Begrotingsraad", "Veiligheidsraad", "Mensenrechtenraad",
    "Gemeenteraad", "Ondernemingsraad", "Cliëntenraad", "Medezeggenschapsraad",
})  # fmt: skip
# (pattern, name); "" names the actor by the matched text.
_ACTORS: tuple[tuple[str, str], ...] = (
    (r"\bAIV\s*/\s*CAVV\b|\bAIV\s+en\s+(?:de\s+)?CAVV\b|\bCAVV\s+en\s+(?:de\s+)?AIV\b", "AIV/CAVV"),
    (r"\bAIV\b|\b[Aa]dviesraad\s+[Ii]nternationale\s+[Vv]raagstukken\b", "AIV"),
    (r"\bCAVV\b", "CAVV"),
    (r"\bWRR\b|\bWetenschappelijke\s+Raad\s+voor\s+het\s+Regeringsbeleid\b", "WRR"),
    (r"\bRaad\s+van\s+State\b", "Raad van State"),
    (r"\bAlgemene\s+Rekenkamer\b", "Algemene Rekenkamer"),
    (r"\b(?:CPB|PBL|SCP|SER|SIPRI|ICRC|AIRCW|ANV)\b", ""),
    # other named bodies: "de Onderwijsraad", "de Raad voor Cultuur", "het Centraal Planbureau", "de Autoriteit
    # Persoonsgegevens", "de Commissie Remkes" (not the EU's Council formations, UN councils, or the European
    # Commission: third parties)
    (
        r"\bRaad\s+voor\s+(?:de\s+|het\s+)?(?!Onderwijs,)[A-Z][\w-]*(?:\s+(?:en\s+)?[A-Z][\w-]*)*"
        r"|\b(?:Centraal\s+|Sociaal\s+en\s+Cultureel\s+)?Planbureau(?:\s+voor\s+de\s+[A-Z][a-z]+)?\b"
        r"|\bAutoriteit\s+[A-Z][\w-]*(?:\s+(?:en\s+)?[A-Z][\w-]*)*"
        r"|\b(?<!Europese\s)Commissie\s+(?:van\s+)?[A-Z][\w-]+",
        "",
    ),
    (r"\b[Hh]et\s+[Kk]abinet\b|\b[Kk]abinet\b(?!s)|\b[Dd]e\s+regering\b", "kabinet"),
    (
        r"\b[Dd]e\s+(?:toenmalige\s+|vorige\s+)?(?:[Mm]inisters?|[Ss]taatssecretaris)(?:\s+(?:van|voor)\s+[A-Z][\w]+"
        r"(?:\s+(?:en\s+(?:van\s+)?)?[A-Z]\w+)*|(?![\w-]))|\b[Mm]ijn\s+(?:ambts)?voorganger\b",
        "minister",
    ),
    (r"\b[Ii]k\b", "ik"),
    (r"\b(?:[Ww]ij|[Ww]e)\b", "kabinet"),
    (r"\b[Mm]inisterie(?:s)?\s+van\s+[A-Z]\w+|\bDefensie\b|\b[Mm]ijn\s+(?:ministerie|departement)\b", "ministerie"),
    (r"\bNederland\b|\bNL\b", "Nederland"),
)
# One scan for all actors; at one position the earlier (more specific) alternative wins.
_ANY_ACTOR = compile_guarded("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_ACTORS)))


class ActorHit(NamedTuple):  # a tuple: made for every actor of every candidate sentence, cheaper than a dataclass
    name: str
    start: int
    end: int


# "de Onderwijsraad", "de Gezondheidsraad": a separate scan, only in texts with "raad" (a pattern that starts
# with any capital would be tried at every capital of every sentence)
_RAAD_BODY = re.compile(r"\b[A-Z][a-z]+raad\b")
# "de ILT", "het UWV", "de NZa": an abbreviation with an article names a body (not the EU, a party, ...)
# (two capitals open the abbreviation: the scan then skips every word that does not start so)
_ABBREVIATED_BODY = re.compile(r"(?<![\w-])(?P<abbr>[A-Z]{2}[A-Za-z]{0,4})\b(?!\s+[A-Z])")  # "de REAIM Summit": a name
_ARTICLE_BEFORE = re.compile(r"(?:^|\s)(?:[Dd]e|[Hh]et)\s$")
# "de Raad voor de leefomgeving en infrastructuur (Rli)": a body's name, then its abbreviation
_NAMED_BODY = compile_guarded(
    r"(?:[Rr]aad|Commissie|College|Inspectie|Autoriteit)\b[^().]{0,80}?\((?P<abbr>[A-Z][A-Za-z]{1,5})\)"
)


def _in_a_name(text: str, position: int) -> bool:
    """A capitalised word that does not open the text stands right before `position`."""
    words = text[max(0, position - 60) : position].split()
    if not words or not words[-1][:1].isupper():
        return False
    return len(words) > 1 or position > 60


def find_actors(text: str) -> list[ActorHit]:
    hits: list[ActorHit] = []
    for match in _ANY_ACTOR.finditer(text):
        name = _ACTORS[int(match.lastgroup[1:])][1] if match.lastgroup else ""
        if name == "Nederland" and _in_a_name(text, match.start()):
            continue  # "Zorgverzekeraars Nederland", "LTO Nederland": an organisation, not the country
        hits.append(ActorHit(name or match.group(0), match.start(), match.end()))
    bodies: list[ActorHit] = []
    if "raad" in text:
        bodies = [ActorHit(m.group(0), m.start(), m.end()) for m in _RAAD_BODY.finditer(text)
                  if m.group(0) not in _NOT_BODIES]  # fmt: skip
    taken = [(hit.start, hit.end) for hit in hits]
    named = _NAMED_BODY.finditer(text) if "(" in text else ()
    for match in (*named, *_ABBREVIATED_BODY.finditer(text)):
        abbr = match.group("abbr")
        if match.re is _ABBREVIATED_BODY and not _ARTICLE_BEFORE.search(
            text[max(0, match.start() - 5) : match.start()]
        ):
            continue
        if abbr not in NOT_BODY_ABBREVIATIONS and not any(start <= match.start("abbr") < end for start, end in taken):
            bodies.append(ActorHit(abbr, match.start("abbr"), match.end()))
            taken.append((match.start("abbr"), match.end()))
    if bodies:
        hits = sorted(hits + bodies, key=lambda hit: hit.start)
    return hits


def is_government(actor: str | None) -> bool:
    return actor in GOVERNMENT or (actor or "").startswith("minister")


def body_actor(text: str) -> str | None:
    """The advisory body a text names ("AIV" and "CAVV" together are one body), never the government."""
    bodies = [a.name for a in find_actors(text) if not is_government(a.name)]
    if "AIV/CAVV" in bodies or {"AIV", "CAVV"} <= set(bodies):
        return "AIV/CAVV"
    return bodies[0] if bodies else None


def signing_minister(doc: CleanDocument) -> str | None:
    """ "De Minister van Buitenlandse Zaken," under the letter -> "minister van Buitenlandse Zaken"."""
    signers = _SIGNER.findall(doc.body[-1500:])
    if signers:
        return "minister " + " ".join(signers[0].split())
    answering = _ANSWERING.search(doc.body[:3000])
    if answering is None:
        return None
    portfolio = " ".join(answering.group("of").split())
    for addressee in _ADDRESSEE.finditer(doc.body[:3000]):
        if " ".join(addressee.group("of").split()) == portfolio:
            return f"minister {addressee.group('prep')} {portfolio}"
    return f"minister van {portfolio}"
