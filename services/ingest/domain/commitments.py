"""Commitments (what the government or an advisory body says it will do) and deliveries (evidence that a
deliverable now exists), read sentence by sentence with Dutch grammar cues.

A commitment needs a future or intention marker ("zal", "zullen", "gaat ... <inf>", "is voornemens",
"beoogt", "wil") whose subject is a government actor ("ik", "wij", "het kabinet", "Nederland") or a named
body (AIV, CAVV, WRR, ...), or an agentless passive in a main clause ("zal dit advies ... worden
geactualiseerd"). Skipped on purpose (judgement calls):
- questions and the question blocks of an answers document ("Vraag 3 ... ?");
- markers in subordinate clauses whose own subject is not an actor ("..., dat in november aangeboden zal
  worden", "die waarschijnlijk ... zullen verschijnen"): these report on third parties;
- hedged or necessity passives ("zal ... mogelijk ... moeten worden"), third-party subjects ("AI zal ...");
- statements about the letter itself ("In de voorliggende reactie zal het kabinet ...");
- deadlines five or more years after the document date (policy targets for 2030/2050) and proposals of
  others ("De Commissie stelt voor ...").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import find_date_spans, parse_due
from services.ingest.domain.forums import find_forums
from services.ingest.domain.model import CommitmentStatement, Delivery, DocumentInfo, DueInterval
from services.ingest.domain.motions import find_motions
from services.ingest.domain.sentences import Sentence, sentences_of

# ---------------------------------------------------------------- topic words


def _words(text: str) -> list[str]:
    return text.split()


_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
STOPWORDS = frozenset(
    _words(
        """
    de het een en of maar dat die dit deze wat wie waar wanneer hoe omdat zodat als dan ook nog niet
    geen wel al te om op in aan van voor met bij door over tot uit naar na onder tussen tegen zonder
    binnen buiten per via sinds tijdens volgens vanuit rond rondom zoals waarbij waarin waarmee waarop
    waarvan waardoor daarbij daarin daarmee daarop daarvan daardoor daarom daartoe hiervoor hierbij
    hierin hiermee hierop hiervan hierover zal zullen zou zouden is zijn was waren wordt worden werd
    werden heeft hebben had hadden kan kunnen kon moet moeten mag mogen wil willen gaat gaan blijft
    blijven komt komen doet doen staat staan ben bent ik wij we u uw hij zij ze hun haar mijn onze ons
    jullie men er hier daar zich kabinet minister ministers ministerie regering kamer nederland
    nederlandse staatssecretaris tweede zeer meer veel verder nader daarnaast bovendien tevens eveneens
    echter slotte tenslotte alsmede reeds nu thans eerst eerder later weer steeds zo dus graag mede
    enkel alleen ander andere jaar jaren maand maanden week weken dag dagen komend komende volgend
    volgende januari februari maart april mei juni juli augustus september oktober november december
    eerste derde vierde helft kwartaal begin eind einde medio voorjaar zomer najaar winter voornemens
    beoogt beogen informeren geïnformeerd nr nrs jl hierna onderwerp kader inzet gebied verband manier
    wijze mogelijk belang belangrijk ten behoeve the of and to for den me nl waaronder bijvoorbeeld
    enkele gehele betrekking elkaar basis daaruit daarop hiertoe alle onder andere welke zoals sprake
    organiseren organiseert georganiseerd publiceren gepubliceerd sturen toesturen zenden versturen
    opstellen houden gehouden
    """
    )
)
_DIACRITICS = str.maketrans("áàäâéèëêíìïîóòöôúùüûç", "aaaaeeeeiiiioooouuuuc")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude Dutch stem: strip plural/inflection endings and collapse doubled vowels, so that
    "technologieën"/"technologie" and "internationale"/"internationaal" meet."""
    word = unicodedata.normalize("NFC", word.lower()).translate(_DIACRITICS).strip("'’-")
    for suffix in ("'s", "’s", "en", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return re.sub(r"([aeiou])\1", r"\1", word)


def topic_words(text: str) -> frozenset[str]:
    """Lower-cased, stemmed content words without stopwords, numbers and footnote markers."""
    words: set[str] = set()
    for token in _WORD.findall(re.sub(r"\[\^\d+\]", " ", text)):
        lowered = token.lower()
        if lowered in STOPWORDS or (len(lowered) < 3 and not token.isupper()):  # keep "AI", "VN"
            continue
        for part in lowered.split("-"):  # "UAV-industrie" -> uav, industrie
            if len(part) >= 2 and part not in STOPWORDS:
                words.add(stem(part))
    return frozenset(words)


# ---------------------------------------------------------------- actors

GOVERNMENT = frozenset({"kabinet", "minister", "Nederland", "ministerie", "regering", "ik"})
_SIGNER = re.compile(r"\bDe\s+[Mm]inister\s+(?P<of>(?:van|voor)\s+[A-Z][\w-]*(?:\s+(?:en\s+)?[A-Z][\w-]*)*)\s*,")
_ACTORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"\bAIV\s*/\s*CAVV\b|\bAIV\s+en\s+(?:de\s+)?CAVV\b|\bCAVV\s+en\s+(?:de\s+)?AIV\b", "AIV/CAVV"),
        (r"\bAIV\b|\b[Aa]dviesraad\s+[Ii]nternationale\s+[Vv]raagstukken\b", "AIV"),
        (r"\bCAVV\b", "CAVV"),
        (r"\bWRR\b|\bWetenschappelijke\s+Raad\s+voor\s+het\s+Regeringsbeleid\b", "WRR"),
        (r"\bRaad\s+van\s+State\b", "Raad van State"),
        (r"\bAlgemene\s+Rekenkamer\b", "Algemene Rekenkamer"),
        (r"\b(?:CPB|PBL|SCP|SER|SIPRI|ICRC|AIRCW|ANV)\b", ""),
        (r"\b[Hh]et\s+[Kk]abinet\b|\b[Kk]abinet\b(?!s)|\b[Dd]e\s+regering\b", "kabinet"),
        (r"\b[Dd]e\s+[Mm]inisters?\s+van\s+[A-Z][\w]+(?:\s+(?:en\s+(?:van\s+)?)?[A-Z]\w+)*", "minister"),
        (r"\b[Ii]k\b", "ik"),
        (r"\b(?:[Ww]ij|[Ww]e)\b", "kabinet"),
        (r"\b[Mm]inisterie(?:s)?\s+van\s+[A-Z]\w+|\bDefensie\b", "ministerie"),
        (r"\bNederland\b|\bNL\b", "Nederland"),
    )
)


@dataclass(frozen=True)
class _ActorHit:
    name: str
    start: int
    end: int


# One scan for all actors; at one position the earlier (more specific) alternative wins.
_ANY_ACTOR = re.compile("|".join(f"(?P<a{i}>{pattern.pattern})" for i, (pattern, _) in enumerate(_ACTORS)))


def find_actors(text: str) -> list[_ActorHit]:
    hits: list[_ActorHit] = []
    for match in _ANY_ACTOR.finditer(text):
        name = _ACTORS[int(match.lastgroup[1:])][1] if match.lastgroup else ""
        hits.append(_ActorHit(name or match.group(0), match.start(), match.end()))
    return hits


def is_government(actor: str | None) -> bool:
    return actor in GOVERNMENT or (actor or "").startswith("minister")


def signing_minister(doc: CleanDocument) -> str | None:
    """ "De Minister van Buitenlandse Zaken," under the letter -> "minister van Buitenlandse Zaken"."""
    signers = _SIGNER.findall(doc.body[-1500:])
    return f"minister {signers[0]}" if signers else None


# ---------------------------------------------------------------- grammar cues

_MARKER = re.compile(
    r"\b(?:zal|zullen|zult)\b|\bvoornemens\b|\b(?:heeft|hebben)\s+het\s+voornemen\b|\bvan\s+plan\b"
    r"|\bbeoogt\b|\bbeogen\b|\bstreeft\s+ernaar\b|\bstreven\s+ernaar\b"
    r"|\b(?:wil|willen)\b(?!\s+(?:graag\s+)?(?:benadrukken|opmerken|wijzen|aangeven|onderstrepen|stilstaan|ingaan|"
    r"toelichten|melden|delen|vragen|danken|herhalen)\b)"
    r"|\b(?:neemt|nemen)\b(?:\s+\w+){0,2}\s+het\s+initiatief\b"
    r"|\b(?:gaat|gaan)\b(?!\s+(?:het\s+)?(?:om|over|uit|samen|gepaard|verder\s+dan)\b)(?=(?:\s+\S+){0,8}\s+\w+en\b)",
    re.IGNORECASE,
)
_FUTURE_AUX = re.compile(r"^(?:zal|zullen|zult)$", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:worden|wordt)\b", re.IGNORECASE)
_AGENT = re.compile(r"\bdoor\s+(?:o\.a\.\s+)?(?P<agent>[\w.’'-]+(?:\s+[\w.’'-]+){0,3})", re.IGNORECASE)
_SUBORDINATOR = re.compile(
    r"\b(?:dat|die|wat|welke|waar\w*|omdat|zodat|wanneer|indien|nadat|voordat|zodra|terwijl|hoewel|doordat|"
    r"of)\b",
    re.IGNORECASE,
)
# "is ... gaan inzetten": a perfect tense, not a plan
_PERFECT_GAAN = re.compile(r"\b(?:is|zijn|was|waren)\b[^,.]{0,80}\bgaan\s+\w+en\b", re.IGNORECASE)
_NECESSITY = re.compile(r"\bmoeten\b", re.IGNORECASE)
# "wil een leidende rol spelen", "wil ... actief ondersteunen": an ambition or a stance, not a deliverable
_AMBITION = re.compile(
    r"^(?:wil|willen)\b.*(?:\brol\s+(?:\w+\s+)?spelen\b|\b(?:ondersteunen|stimuleren|bevorderen|versterken)\b)",
    re.IGNORECASE,
)
# "In de komende maanden wordt ... verkend": a present passive announcing a dated act
_PRESENT_PASSIVE = re.compile(r"\b(?:wordt|worden)\b(?:\s+\S+){0,12}?\s+(?:ge|ver|be|ont|uit|na)\w+[dt]\b", re.I)
_FUTURE_OPENING = re.compile(
    r"^(?:in\s+)?(?:de\s+komende\s+(?:maanden|weken|periode|tijd)|binnenkort|later\s+dit\s+jaar|volgend\s+jaar|"
    r"komend\s+(?:jaar|voorjaar|najaar)|voor\s+de\s+zomer|na\s+de\s+zomer|dit\s+(?:voorjaar|najaar)|"
    r"(?:begin|medio|eind)\s+(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# A dated event the act happens at: "tijdens de conferentie", "daar" (the meeting just named)
_AT_EVENT = re.compile(
    r"\b(?:tijdens|op|bij)\s+(?:de|het|deze|die)\s+(?P<ref>[\w’'-]+(?:\s+[\w’'-]+)?)"
    r"|\b[Mm]et\s+de\s+(?:\w+\s+){0,4}van\s+de\s+(?P<ref2>[\w’'-]+(?:\s+[\w’'-]+)?)",
)
_MAX_SENTENCE = 1500  # characters; longer runs are not prose
_MAX_MARKERS = 6  # future/intention markers tried per sentence
_PLAIN_WORD = re.compile(r"\w+")
# Cheap first filter: a sentence without any of these words cannot hold a commitment.
_CANDIDATE_WORDS = frozenset(
    _words(
        """zal zullen zult voornemens voornemen plan beoogt beogen streeft streven wil willen gaat gaan neemt
        nemen toegezegd aangekondigd hierbij geïnformeerd geinformeerd ingelicht"""
    )
)
_CONTINUATION = re.compile(r"^(?:ook|tevens|eveneens|verder)\b", re.IGNORECASE)
_LOCATIVE_THERE = re.compile(r"\b(?:zal|zullen)\s+(?:\w+\s+){0,3}daar\b", re.IGNORECASE)
_COORDINATED = re.compile(r"\b(?:en|maar|of)\s*$", re.IGNORECASE)
_HEDGE = re.compile(r"\b(?:mogelijk|wellicht|waarschijnlijk|naar\s+verwachting|moeten|kunnen|zou)\b", re.I)
_SELF_REFERENCE = re.compile(
    r"\b(?:in|met)\s+(?:deze|de\s+voorliggende|de\s+onderhavige|dit)\s+(?:brief|reactie|kabinetsreactie|notitie|"
    r"nota|antwoord|beantwoording)\b|\bhieronder\b|\bin\s+het\s+vervolg\s+van\s+deze\b",
    re.IGNORECASE,
)
_PROPOSAL_OF_OTHERS = re.compile(
    r"\b(?:stelt|stellen)\s+(?:\w+\s+){0,3}voor\b|\bhet\s+voorstel\s+(?:voorziet|bepaalt|verplicht|regelt)\b",
    re.IGNORECASE,
)
_FULFILLED_HERE = re.compile(
    r"\b(?:zoals|conform)\s+(?:\w+\s+){0,2}(?:toegezegd|aangekondigd|afgesproken|verzocht|gevraagd)\b"
    r".*\b(?:informeer|informeren|stuur|sturen|zend|zenden|bied|bieden|ontvangt)\b"
    r"|\b(?:is|werd|heb|hebben)\s+(?:\w+\s+){0,3}toegezegd\s+(?:\w+\s+){0,3}te\s+(?:informeren|sturen|zenden)\b"
    r"|\bhierbij\s+(?:informeer|stuur|zend|bied|ontvangt)\b",
    re.IGNORECASE,
)
_INFORM_PARLIAMENT = re.compile(
    r"\b(?:uw|de)\s+[Kk]amer\b.*\b(?:informeren|geïnformeerd|geinformeerd|inlichten|ingelicht|"
    r"sturen|toesturen|toegestuurd|zenden|toezenden|rapporteren)\b"
    r"|\b(?:informeren|informeer)\s+(?:wij|we|ik)?\s*u\b|\bu\s+(?:\w+\s+){0,3}(?:informeren|inlichten)\b",
    re.IGNORECASE,
)
_PRESENT_PASSIVE_INFORM = re.compile(
    r"\b(?:wordt|worden)\s+(?:uw|de)\s+[Kk]amer\s+(?:\w+\s+){0,3}(?:geïnformeerd|geinformeerd|ingelicht)\b",
    re.IGNORECASE,
)
_QUESTION_HEADING = re.compile(r"^vraag(?:en)?\s+\d+", re.IGNORECASE)
_ANSWER_HEADING = re.compile(r"^antwoord\b", re.IGNORECASE)
_ANAPHORIC_START = re.compile(
    r"^(?:in\s+dit\s+kader|daartoe|hiertoe|daarom|daarbij|hiervoor|hiermee|daarmee|zoals\s+\w+)\b", re.I
)
_PARENTHESES = re.compile(r"\([^()]{0,200}\)")
_DASH_INSERT = re.compile(r"\s[–—-]\s[^–—]{3,200}?\s[–—-]\s")
_ALIAS = re.compile(r"\((?:hierna|hierna\s+te\s+noemen)\s*:?\s*(?P<alias>[^)]{1,40})\)")
_NOUN_PHRASE_BEFORE = re.compile(r"(?:[\w’'-]+\s+){1,9}$")

# ---------------------------------------------------------------- deliverables

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
_DETERMINER_INDEFINITE = re.compile(r"\b(?:een|nieuwe?|eerste|tweede|extra)\b", re.IGNORECASE)
_DETERMINER_DEFINITE = re.compile(r"\b(?:de|het|dit|deze|die|dat|genoemde|voornoemde)\b", re.IGNORECASE)


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


@dataclass(frozen=True)
class _Object:
    deliverable: str
    position: int
    definite: bool
    surface: str


def _objects(text: str, aliases: dict[str, tuple[str, str]], offset: int = 0) -> list[_Object]:
    found: list[_Object] = []
    for alias, (deliverable, _) in aliases.items():
        for match in re.finditer(re.escape(alias), text):
            found.append(_Object(deliverable, offset + match.start(), True, alias))
    for match in re.finditer(r"[\w’'-]+", text):
        deliverable = deliverable_of(match.group(0))
        if deliverable is None or any(o.position <= offset + match.start() < o.position + len(o.surface)
                                      for o in found):  # fmt: skip
            continue
        before = text[max(0, match.start() - 30) : match.start()].split()[-3:]
        lead = " ".join(before)
        indefinite = bool(_DETERMINER_INDEFINITE.search(lead)) and not _DETERMINER_DEFINITE.search(
            " ".join(before[-1:])
        )
        found.append(_Object(deliverable, offset + match.start(), not indefinite, match.group(0)))
    return sorted(found, key=lambda o: o.position)


def _aliases(body: str) -> dict[str, tuple[str, str]]:
    """ "(hierna: REAIM Summit)" -> {"REAIM Summit": ("conferentie", "<the noun phrase it stands for>")}."""
    aliases: dict[str, tuple[str, str]] = {}
    for match in _ALIAS.finditer(body):
        alias = match.group("alias").strip()
        before = _NOUN_PHRASE_BEFORE.search(body[max(0, match.start() - 150) : match.start()])
        phrase = before.group(0) if before else ""
        objects = _objects(phrase, {})
        head = objects[0].deliverable if objects else deliverable_of(alias.split()[-1])
        if head:
            aliases[alias] = (head, phrase)
    return aliases


# ---------------------------------------------------------------- sentence analysis


@dataclass(frozen=True)
class _Reading:
    actor: str | None
    deliverable: str | None
    definite: bool
    marker: int
    passive: bool
    reference: bool = False  # the deliverable is a fronted definite reference ("Met de conferentie beoogt ...")


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    text = _PARENTHESES.sub(lambda m: "(" + "_" * (len(m.group(0)) - 2) + ")", text)  # commas in (...) don't count
    start = max(text.rfind(",", 0, position), text.rfind(";", 0, position), text.rfind(":", 0, position)) + 1
    ends = [i for i in (text.find(",", position), text.find(";", position)) if i != -1]
    return start, min(ends) if ends else len(text)


def _subject_actor(text: str, marker: re.Match[str], actors: list[_ActorHit]) -> str | None:
    """The actor that is the subject of the marker: just before it, or just after it (inversion)."""
    clause_start, clause_end = _clause_bounds(text, marker.start())
    before = [a for a in actors if clause_start <= a.start < marker.start() and marker.start() - a.end <= 60]
    after = [a for a in actors if marker.end() <= a.start < min(clause_end, marker.end() + 35)]
    if before and not _SUBORDINATOR.search(text[before[-1].end : marker.start()]):
        return before[-1].name
    if after:
        return after[0].name
    if _COORDINATED.search(text[clause_start : marker.start()]) or not text[clause_start : marker.start()].strip():
        # elliptic subject: "Het kabinet wacht ... af en zal ..." / "..., maar zal zich ..."
        earlier = [a for a in actors if a.start < marker.start()]
        return earlier[0].name if earlier else None
    return None


def _in_subordinate_clause(text: str, marker: re.Match[str], actors: list[_ActorHit]) -> bool:
    clause_start, _ = _clause_bounds(text, marker.start())
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


def _read(text: str, actors: list[_ActorHit], aliases: dict[str, tuple[str, str]]) -> _Reading | None:
    for count, marker in enumerate(_MARKER.finditer(text)):
        if count >= _MAX_MARKERS:
            break
        coordinated = bool(_COORDINATED.search(text[: marker.start()]))
        if (not coordinated and _in_subordinate_clause(text, marker, actors)) or _PERFECT_GAAN.search(
            text[: marker.end() + 40]
        ):
            continue
        clause_start, clause_end = _clause_bounds(text, marker.start())
        scope_end = _scope_end(text, marker, clause_end)
        clause = text[clause_start:scope_end]
        actor = _subject_actor(text, marker, actors)
        passive = bool(_PASSIVE.search(text[marker.end() : scope_end]))
        after = _objects(text[marker.end() : scope_end], aliases, marker.end())
        before = _objects(text[clause_start : marker.start()], aliases, clause_start)
        if actor is None:
            if not passive or _HEDGE.search(clause):
                continue
            agent = _AGENT.search(text[marker.end() : scope_end])
            if agent and not find_actors(agent.group("agent")):
                continue  # "zullen gedaan worden door o.a. Prof. ..." : someone else's act
            objects = before + after  # agentless passive: the subject precedes or follows the marker
        else:
            # the object follows the marker; else a fronted phrase names it ("Met de REAIM Summit wil ...")
            fronted = [o for o in _objects(text[: marker.start()], aliases) if o.definite]
            fronted = [o for o in fronted if not any(a.start < o.position for a in actors)]
            objects = after or fronted[-1:]
        concrete = any(not o.definite for o in after)
        ambition = not concrete and _AMBITION.search(f"{marker.group(0)} {text[marker.end() : scope_end]}")
        if _NECESSITY.search(text[marker.end() : scope_end]) or ambition:
            continue  # "zal ... moeten ontwikkelen", "wil een leidende rol spelen": not a promise
        chosen = next((o for o in objects if not o.definite), objects[0] if objects else None)
        if _INFORM_PARLIAMENT.search(text[marker.start() : clause_end + 80]):
            chosen = _Object("brief", marker.start(), False, "brief")
        reference = bool(chosen and chosen.definite and (chosen.position < marker.start() or actor is None))
        return _Reading(actor, chosen.deliverable if chosen else None, chosen.definite if chosen else False,
                        marker.start(), passive, reference)  # fmt: skip
    return None


def _question_sentences(sentences: Sequence[Sentence]) -> set[int]:
    """Indexes of sentences that belong to a "Vraag N" block (until the next "Antwoord")."""
    skipped: set[int] = set()
    in_question = False
    for index, sentence in enumerate(sentences):
        if _QUESTION_HEADING.match(sentence.text):
            in_question = True
        elif _ANSWER_HEADING.match(sentence.text):
            in_question = False
        if in_question or sentence.text.rstrip().endswith("?"):
            skipped.add(index)
    return skipped


def _antecedent(sentences: Sequence[Sentence], index: int, deliverable: str | None) -> int | None:
    """The earlier sentence (at most two back) that introduces the deliverable a demonstrative refers to."""
    for back in (1, 2):
        if index - back < 0:
            return None
        text = sentences[index - back].text
        if deliverable and any(deliverable_of(t) == deliverable for t in re.findall(r"[\w’'-]+", text)):
            return index - back
    return index - 1 if index > 0 else None


@dataclass
class _Draft:
    index: int
    statement: CommitmentStatement
    definite: bool
    due_from_event: bool = False  # due taken from the event the act happens at, not from a time phrase


def find_commitments(doc: CleanDocument, info: DocumentInfo) -> tuple[CommitmentStatement, ...]:
    sentences = sentences_of(doc.body)
    skipped = _question_sentences(sentences)
    aliases = _aliases(doc.body)
    motion_ids = tuple(dict.fromkeys(m.id for m in find_motions(doc) if m.id))
    signer = signing_minister(doc)
    drafts: list[_Draft] = []
    for index in range(len(sentences)):
        draft = _commitment_at(sentences, index, info, aliases, motion_ids, skipped)
        if draft is None:
            continue
        if draft.statement.actor == "ik":
            draft.statement = replace(draft.statement, actor=signer or "minister")
        if draft.statement.due is None:
            due = _event_due(sentences, index, drafts, aliases, info.date)
            previous = drafts[-1] if drafts else None
            # "Nederland zal zich daar inspannen ... Ook zal Nederland pleiten ...": the same occasion
            same_occasion = (
                previous is not None and previous.due_from_event and previous.index == index - 1
                and _CONTINUATION.match(sentences[index].text) is not None
                and previous.statement.actor == draft.statement.actor
            )  # fmt: skip
            if due is None and same_occasion and previous is not None:
                due = previous.statement.due
            draft.statement = replace(draft.statement, due=due)
            draft.due_from_event = due is not None
        drafts.append(draft)
    return tuple(d.statement for d in _merge_coreferent(drafts, sentences, aliases))


def _event_due(
    sentences: Sequence[Sentence], index: int, drafts: Sequence[_Draft], aliases: dict[str, tuple[str, str]],
    document_date: date | None,
) -> DueInterval | None:  # fmt: skip
    """The date of the event an act happens at: "tijdens de conferentie" (a dated commitment of this letter),
    "zal zich daar inspannen" (the meeting the previous sentence dates)."""
    text = sentences[index].text
    if index and _LOCATIVE_THERE.search(text):
        spans = find_date_spans(sentences[index - 1].text, document_date)
        if spans and document_date is not None and spans[-1].end >= document_date:
            span = spans[-1]
            return DueInterval(span.start, span.end, span.precision, None, span.phrase)
    for match in _AT_EVENT.finditer(text):
        reference = match.group("ref") or match.group("ref2") or ""
        if re.search(r"\b(?:uitkomst|resultat|vervolg|afloop)", text[: match.start()], re.IGNORECASE):
            continue  # after the event, not at it
        wanted = {deliverable_of(word) for word in reference.split()} | {
            d for alias, (d, _) in aliases.items() if alias in reference or reference in alias
        }
        for draft in reversed(drafts):
            if draft.statement.due and draft.statement.deliverable in wanted:
                return draft.statement.due
    return None


def _commitment_at(
    sentences: Sequence[Sentence], index: int, info: DocumentInfo, aliases: dict[str, tuple[str, str]],
    motion_ids: tuple[str, ...], skipped: set[int],
) -> _Draft | None:  # fmt: skip
    raw = sentences[index].text
    if index in skipped or not 25 <= len(raw) <= _MAX_SENTENCE:
        return None  # run-on "sentences" (tables, garbage) would make the clause scans quadratic
    if _CANDIDATE_WORDS.isdisjoint(_PLAIN_WORD.findall(raw.lower())) and not _FUTURE_OPENING.match(raw):
        return None
    if _SELF_REFERENCE.search(raw) or _PROPOSAL_OF_OTHERS.search(raw):
        return None
    text = _DASH_INSERT.sub(" ", raw)  # "– die waarschijnlijk ... zullen verschijnen –" is about others
    actors = find_actors(text)
    fulfilled = bool(_FULFILLED_HERE.search(text))
    reading = _read(text, actors, aliases)
    if reading is None and _PRESENT_PASSIVE_INFORM.search(text):
        reading = _Reading("kabinet", "brief", False, 0, True)
    if reading is None and _FUTURE_OPENING.match(text) and _PRESENT_PASSIVE.search(text) and not actors:
        objects = _objects(text, aliases)
        chosen = objects[0] if objects else None
        reading = _Reading("kabinet", chosen.deliverable if chosen else None, bool(chosen and chosen.definite),
                           0, True, bool(chosen and chosen.definite))  # fmt: skip
    if reading is None and not fulfilled:
        return None
    # dates in parentheses name things ("Roadmap (EDTR, 2019)"), they are not deadlines
    due = parse_due(_PARENTHESES.sub(" ", text), info.date)
    if due is not None and info.date is not None and due.start.year - info.date.year >= 5:
        return None  # a policy target, not a deliverable
    actor = reading.actor if reading else None
    deliverable = reading.deliverable if reading else None
    topic_text = raw
    antecedent = None
    if reading and (reading.definite or _ANAPHORIC_START.match(text)):
        antecedent = _antecedent(sentences, index, deliverable)
        if antecedent is not None:
            topic_text += " " + sentences[antecedent].text
    if actor is None and antecedent is not None:
        actor = _body_actor(sentences[antecedent].text)
    if actor is None:
        if reading and deliverable is None and due is None:
            return None  # "Daarbij zal worden gekeken naar ...": no object, no date
        actor = "kabinet" if reading else (actors[0].name if actors else "kabinet")
    if fulfilled:
        deliverable = deliverable or "brief"
        if due is not None and info.date is not None and due.end > info.date:
            fulfilled = False  # a promise with a date still ahead is restated, not met
    for alias, (_, phrase) in aliases.items():
        if alias in raw:
            topic_text += " " + phrase + " " + alias
    statement = CommitmentStatement(
        text=" ".join(raw.split()),
        actor=actor,
        due=due,
        deliverable=deliverable,
        topic=topic_words(topic_text),
        motions=motion_ids,
        forums=find_forums(raw),
        fulfilled_here=fulfilled,
    )
    return _Draft(index, statement, bool(reading and reading.reference))


def _merge_coreferent(
    drafts: list[_Draft], sentences: Sequence[Sentence], aliases: dict[str, tuple[str, str]]
) -> list[_Draft]:
    """Later statements that refer back to a deliverable introduced earlier ("de conferentie") enrich that
    commitment instead of standing alone; definite mentions in other sentences add topic words too."""
    kept: list[_Draft] = []
    for draft in drafts:
        statement = draft.statement
        target = next(
            (k for k in reversed(kept) if statement.deliverable and k.statement.deliverable == statement.deliverable
             and draft.definite and statement.deliverable != "brief"
             and (statement.due is None or statement.due == k.statement.due)
             and not statement.fulfilled_here and _same_side(k.statement.actor, statement.actor)),
            None,
        )  # fmt: skip
        if target is None:
            kept.append(draft)
            continue
        target.statement = replace(target.statement, topic=target.statement.topic | statement.topic)
    for draft in kept:
        deliverable = draft.statement.deliverable
        if not deliverable or deliverable == "brief":
            continue
        surfaces = {a for a, (d, _) in aliases.items() if d == deliverable}
        words = [w for w, d in DELIVERABLES.items() if d == deliverable] + [a.lower() for a in surfaces]
        extra: set[str] = set()
        for sentence in sentences[draft.index + 1 : draft.index + 40]:
            lowered = sentence.text.lower()
            if not any(word in lowered for word in words):
                continue  # cheap filter before the token scan
            objects = _objects(sentence.text, {a: aliases[a] for a in surfaces})
            if any(o.deliverable == deliverable and o.definite for o in objects):
                extra |= topic_words(sentence.text)
        draft.statement = replace(draft.statement, topic=draft.statement.topic | frozenset(extra))
    return kept


def _same_side(first: str | None, second: str | None) -> bool:
    return first == second or (is_government(first) and is_government(second))


# ---------------------------------------------------------------- deliveries

_DELIVERY_CUES = ("advies", "rapport", "verslag", "hierbij", "geactualiseerd", "vervangen", "herzien", "bijgewerkt")
_BODY_PRODUCT = re.compile(
    r"\b(?P<body>AIV|CAVV|WRR|Raad\s+van\s+State|Rekenkamer)[-\s](?P<kind>advies|rapport)\s+(?:nr\.?\s*|no\.?\s*)?\d+",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"\bdank(?:en|t|)\b.*\bvoor\s+(?:hun|het|zijn|haar)\s+(?:\w+\s+)?(?P<kind>advies|rapport|verslag)\b", re.I
)
_UPDATED = re.compile(
    r"\bhiermee\s+(?:wordt|is|worden)\b.*\b(?P<kind>advies|rapport|beleidskader|strategie)\b.*"
    r"\b(?:geactualiseerd|vervangen|herzien|bijgewerkt)\b",
    re.IGNORECASE,
)
_HEREWITH = re.compile(
    r"\bhierbij\s+(?:ontvangt\s+u|bied\s+(?:ik|wij)\s+u|stuur\s+(?:ik|wij)\s+u|zend\s+(?:ik|wij)\s+u)\s+"
    r"(?:\w+\s+){0,4}?(?P<kind>[\w-]+)",
    re.IGNORECASE,
)


def _body_actor(text: str) -> str | None:
    bodies = [a.name for a in find_actors(text) if not is_government(a.name)]
    if "AIV/CAVV" in bodies or {"AIV", "CAVV"} <= set(bodies):
        return "AIV/CAVV"
    return bodies[0] if bodies else None


def _delivery_in(text: str, context: str, document_date: date | None, footnote_text: str) -> Delivery | None:
    lowered = text.lower()
    if not any(cue in lowered for cue in _DELIVERY_CUES):
        return None
    product = _BODY_PRODUCT.search(text)
    if product:
        spans = [s for s in find_date_spans(text, None) if s.precision == "day"]
        return Delivery(_body_actor(text), product.group("kind").lower(), spans[0].start if spans else None,
                        " ".join(text.split()), topic_words(text))  # fmt: skip
    for pattern in (_THANKS, _UPDATED):
        match = pattern.search(text)
        if match:
            actor = _body_actor(text) or _body_actor(context)
            return Delivery(actor, match.group("kind").lower(), None, " ".join(text.split()),
                            topic_words(f"{text} {footnote_text}"))  # fmt: skip
    herewith = _HEREWITH.search(text)
    if herewith:
        kind = deliverable_of(herewith.group("kind")) or herewith.group("kind").lower()
        return Delivery("kabinet", kind, document_date, " ".join(text.split()), topic_words(text))
    return None


def find_deliveries(doc: CleanDocument, info: DocumentInfo) -> tuple[Delivery, ...]:
    """Deliveries in the body and in footnotes, one per (actor, deliverable, date); topic words merged."""
    found: dict[tuple[str | None, str, date | None], Delivery] = {}
    sentences = sentences_of(doc.body)
    texts: list[tuple[str, str, str]] = []
    for index, sentence in enumerate(sentences):
        previous = sentences[index - 1].text if index else ""
        notes = " ".join(doc.footnotes.get(n, "") for n in re.findall(r"\[\^(\d+)\]", sentence.text))
        texts.append((sentence.text, previous, notes))
    texts.extend((note, "", "") for note in doc.footnotes.values())
    for text, context, notes in texts:
        delivery = _delivery_in(text, context, info.date, notes)
        if delivery is None:
            continue
        key = (delivery.actor, delivery.deliverable, delivery.on)
        if key in found:
            found[key] = replace(found[key], topic=found[key].topic | delivery.topic)
        else:
            found[key] = delivery
    return tuple(found.values())
