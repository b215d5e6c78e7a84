"""Commitments: what the government or an advisory body says it will do, read sentence by sentence.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.ingest.domain.actors import ActorHit, body_actor, find_actors, is_government, signing_minister
from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import find_date_spans, has_time_cue, parse_due
from services.ingest.domain.deliverables import DELIVERABLES, deliverable_of, find_aliases, find_objects
from services.ingest.domain.deliveries import find_deliveries
from services.ingest.domain.forums import find_forums
from services.ingest.domain.model import CommitmentStatement, DocumentInfo, DueInterval
from services.ingest.domain.motions import find_motions
from services.ingest.domain.needles import FastPattern, lower_for_needles
from services.ingest.domain.patterns import compile_guarded
from services.ingest.domain.reading import PARENTHESES, Reading, read_sentence
from services.ingest.domain.sentences import Sentence, sentences_of
from services.ingest.domain.topics import stem, topic_words
from services.ingest.domain.vocabulary import (
    APPEAR_INFINITIVES,
    APPEAR_VERBS,
    BODY_ACT_VERBS,
    COMPLETION_WORDS,
    CREATION_PARTICIPLES,
    DISCOURSE_VERBS,
    DUTCH_FUNCTION_WORDS,
    ENGLISH_FUNCTION_WORDS,
    EXPECTED_ACT_INFINITIVES,
    INFORMED_PARTICIPLES,
    INQUIRY_INFINITIVES,
    MARKER_WORDS,
    NOT_ACT_VERBS,
    PRESENT_TENSE_WORDS,
    PROMISE_NOUNS,
    SENT_INFINITIVES,
    SENT_PARTICIPLES,
    SEQUENCE_OPENERS,
    alternation,
)

# find_deliveries, stem and is_government are imported from here by other modules
__all__ = ["find_commitments", "find_deliveries", "is_government", "stem", "topic_words"]


# "In de komende maanden wordt ... verkend": a present passive announcing a dated act
_PRESENT_PASSIVE = FastPattern(r"\b(?:wordt|worden)\b(?:\s+\S+){0,12}?\s+(?:ge|ver|be|ont|uit|na)\w+[dt]\b", re.I)
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
# Cheap first filter: a sentence without any of these words (in lower case) cannot hold a commitment.
_CANDIDATE = compile_guarded(r"\b(?:" + alternation(tuple(MARKER_WORDS)) + r")\b")
# Common words the present-tense rules start from: a sentence with one of them is only read further when it also
# names a time, parliament or one of the few undated cues ("komt er", "terug", "laat ... kijken", "wordt een")
_WEAK_WORDS = PRESENT_TENSE_WORDS | frozenset(APPEAR_VERBS + BODY_ACT_VERBS)
_UNDATED_CUES = ("kamer", "terug", "komt er", "komen er", "er komt", "er komen")
_TOKEN = re.compile(r"[\w’'-][\w’'-]*")  # = [\w’'-]+, but lets the engine skip to the next word
_AFTER_EVENT = re.compile(r"\b(?:uitkomst|resultat|vervolg|afloop)", re.IGNORECASE)
_CONTINUATION = re.compile(r"^(?:ook|tevens|eveneens|verder)\b", re.IGNORECASE)
_LOCATIVE_THERE = re.compile(r"\b(?:zal|zullen)\s+(?:\w+\s+){0,3}daar\b", re.IGNORECASE)
_SELF_REFERENCE = FastPattern(
    r"\b(?:in|met)\s+(?:deze|de\s+voorliggende|de\s+onderhavige|dit)\s+(?:brief|reactie|kabinetsreactie|notitie|"
    r"nota|antwoord|beantwoording)\b|\bhieronder\b|\bin\s+het\s+vervolg\s+van\s+deze\b"
    # "worden beantwoord zoals aangegeven in de bijlage van deze brief": the letter describing itself
    r"|\bbijlage\s+(?:van|bij)\s+(?:deze|dit)\s+(?:brief|antwoord|beantwoording)\b",
    re.IGNORECASE,
)
_PROPOSAL_OF_OTHERS = FastPattern(
    r"\b(?:stelt|stellen)\s+(?:\w+\s+){0,3}voor\b|\bhet\s+voorstel\s+(?:voorziet|bepaalt|verplicht|regelt)\b",
    re.IGNORECASE,
)
_FULFILLED_HERE = FastPattern(
    r"\b(?:zoals|conform)\s+(?:\w+\s+){0,2}(?:toegezegd|aangekondigd|afgesproken|verzocht|gevraagd)\b"
    r".*\b(?:informeer|informeren|stuur|sturen|zend|zenden|bied|bieden|ontvangt)\b"
    r"|\b(?:zoals|conform)\s+(?:\w+\s+){0,2}(?:toegezegd|aangekondigd|afgesproken|verzocht|gevraagd)\b"
    r".*\b(?:ga|gaan)\s+(?:ik|wij|we)\b(?:\s+\S+){0,6}?\s+in\s+op\b"
    r"|\b(?:is|werd|heb|hebben)\s+(?:\w+\s+){0,3}toegezegd\s+(?:\w+\s+){0,3}te\s+(?:informeren|sturen|zenden)\b"
    r"|\bhierbij\s+(?:informeer|stuur|zend|bied|ontvangt)\b",
    re.IGNORECASE,
)
# "Over X wordt uw Kamer ... geïnformeerd", "Uw Kamer wordt hier voor het zomerreces over geïnformeerd", "wordt u
# bericht over": parliament informed, subject before or after "wordt"
_INFORMED = alternation(INFORMED_PARTICIPLES)
_PRESENT_PASSIVE_INFORM = FastPattern(
    r"\b(?:wordt|worden)\s+(?:(?:uw|de)\s+[Kk]amer|u)\s+(?:\S+\s+){0,16}?(?:" + _INFORMED + r")\b"
    r"|\b(?:uw|de)\s+[Kk]amer\s+(?:wordt|worden)\s+(?:\S+\s+){0,16}?(?:" + _INFORMED + r")\b",
    re.IGNORECASE,
)
# Present tense for the future (V2 inversion after a fronted phrase, or subject first): "Voor de zomer stuur ik
# uw Kamer ...", "Eind dit jaar informeer ik ...", "laat ik de komende maanden onderzoeken", "Het kabinet
# stuurt ... in het najaar"; only a promise together with a forward time phrase (checked by the caller).
_ACT_FIRST = (
    r"(?:stuur|zend|informeer|start|presenteer|publiceer|maak|laat|bied|kom|organiseer|lanceer|breng|leg|blijf|"
    r"onderzoek|verken|bekijk|werk)"
)
_ACT_PLURAL = (
    r"(?:sturen|zenden|informeren|starten|presenteren|publiceren|maken|laten|bieden|komen|organiseren|lanceren|"
    r"brengen|leggen|blijven|onderzoeken|verkennen|bekijken|werken)"
)
_ACT_THIRD = (
    r"(?:stuurt|zendt|informeert|start|presenteert|publiceert|maakt|laat|biedt|komt|organiseert|lanceert|brengt|"
    r"legt|blijft|onderzoekt|verkent|bekijkt|werkt)"
)
_GOVERNMENT_SUBJECT = r"(?:het\s+kabinet|de\s+regering|(?:het|mijn)\s+ministerie)"
# matched case-sensitively on the lowered sentence: much cheaper than an IGNORECASE alternation
_SUBJECT_AND_VERB = (
    _ACT_FIRST + r"\s+ik",  # inversion after a fronted phrase: "Voor de zomer stuur ik"
    _ACT_PLURAL + r"\s+(?:wij|we)",
    _ACT_THIRD + r"\s+" + _GOVERNMENT_SUBJECT,
    _ACT_PLURAL + r"\s+" + _GOVERNMENT_SUBJECT,  # "maken het ministerie en de VNG": a compound subject
    r"ik\s+" + _ACT_FIRST,  # subject first: "Ik stuur uw Kamer voor de zomer"
    r"(?:wij|we)\s+" + _ACT_PLURAL,
    _GOVERNMENT_SUBJECT + r"\s+" + _ACT_THIRD,
)
_PRESENT_FUTURE = FastPattern(r"\b(?:" + "|".join(_SUBJECT_AND_VERB) + r")\b")
# "In het najaar ontvangt uw Kamer ...", "Uw Kamer ontvangt ... voor de zomer": parliament as recipient
_PARLIAMENT_RECEIVES = FastPattern(
    r"\bontvangt\s+(?:(?:uw|de)\s+kamer|u)\b|\b(?:(?:uw|de)\s+kamer|u)\s+(?:\S+\s+){0,4}?ontvangt\b"
)
# "... wordt uw Kamer ... toegezonden", "wordt ... aan uw Kamer aangeboden": an agentless present passive
_SENT = alternation(SENT_PARTICIPLES)
_PRESENT_PASSIVE_SEND = FastPattern(
    r"\b(?:wordt|worden)\s+(?:\S+\s+){0,8}?(?:(?:aan|naar)\s+)?(?:uw|de)\s+kamer\s+(?:\S+\s+){0,6}?(?:" + _SENT + r")\b"
    # the verb-final order of a subordinate clause: "die voor de kerst aan uw Kamer zal worden verzonden"
    r"|\b(?:aan|naar)\s+(?:uw|de)\s+kamer\s+(?:\S+\s+){0,3}?(?:wordt|worden)\s+(?:\S+\s+){0,2}?(?:" + _SENT + r")\b"
)
# "Het meldpunt wordt per 1 januari 2026 ondergebracht bij ...": a subject, "wordt", a time phrase right after
# it and a participle: an agentless present passive that schedules an act (matched on the lowered sentence)
_DATED_PASSIVE = FastPattern(
    r"^(?:het|de|dit|deze)\s+(?:\S+\s+){0,4}?(?:wordt|worden)\s+(?:per|op|in|vanaf|voor|uiterlijk|medio|begin|"
    r"eind|na|binnen)\s+(?:\S+\s+){1,6}?(?:ge|ver|be|ont|uit|in|op|aan|af|toe|over|onder)\w+(?:[dt]|en)\b"
)
# "Zoals (door mijn voorganger is) toegezegd, ...", "geeft het kabinet invulling aan de eerdere toezegging", "De
# toenmalige minister heeft ... een onderzoek aangekondigd": the letter reports on a promise made earlier
_EARLIER_PROMISE = FastPattern(
    r"^(?:zoals|conform)\s+(?:\S+\s+){0,8}?(?:toegezegd|beloofd)\b"
    r"|\b(?:invulling|uitvoering|gevolg)\s+(?:\S+\s+){0,2}?aan\s+(?:de|het|mijn|onze|een)\s+(?:\S+\s+){0,2}?(?:"
    + alternation(PROMISE_NOUNS)
    + r")\b"
    r"|\b(?:conform|volgens)\s+(?:de|mijn|onze)\s+(?:\S+\s+){0,1}?(?:" + alternation(PROMISE_NOUNS) + r")\b",
    re.IGNORECASE,
)
# "heb ik toegezegd uw Kamer ... te informeren": a promised act still ahead ("heeft ... een plan aangekondigd" only
# tells the history)
_PERFECT_PROMISE = re.compile(
    r"\b(?:heb|heeft|hebben)\b(?:\s+\S+){0,30}?\s+(?:toegezegd|beloofd)\b(?=(?:\s+\S+){1,20}?\s+te\s+\w+)",
    re.IGNORECASE,
)
# the rest of the sentence reports something done: "..., ben ik in gesprek gegaan", "heb ik ... gesproken"
_DONE = re.compile(
    r"\b(?:heb|hebben|ben|zijn|is|werd|werden)\s+(?:\S+\s+){0,12}?(?:ge|ver|be|ont)\w+(?:[dt]|en)\b", re.I
)
# "Ik ... laat hier nader naar kijken", "laten wij onderzoeken": commissioning an inquiry, a present-tense plan
_COMMISSIONED = FastPattern(
    r"(?<!\bte\s)\b(?:laat|laten)\b(?:\s+\S+){0,10}?\s+(?:"
    + alternation(INQUIRY_INFINITIVES)
    + r"|in\s+kaart\s+brengen)\b",
    re.IGNORECASE,
)
_SUBJECT_OF_LATEN = re.compile(r"\b(?:ik|wij|we|het\s+kabinet|de\s+regering)\b", re.IGNORECASE)
# "Tot slot komt er ... een plan van aanpak": an existential future that promises a new deliverable
_THERE_COMES = FastPattern(r"\b(?:komt|komen)\s+er\b|\ber\s+(?:komt|komen)\b", re.IGNORECASE)
# "Ten tweede wordt een afwegingskader ... gemaakt": a present passive that creates a new deliverable
_CREATED = FastPattern(
    r"\b(?:wordt|worden)\s+(?:er\s+)?(?:\S+\s+){0,3}?een\s+(?:\S+\s+){0,14}?(?:"
    + alternation(CREATION_PARTICIPLES)
    + r")\b",
    re.IGNORECASE,
)
# "Ik kom hier in de volgende voortgangsbrief op terug": a promise to report back, dated or not
_COME_BACK = FastPattern(
    r"\b(?:ik\s+kom|kom\s+ik|(?:wij|we)\s+komen|komen\s+(?:wij|we)|het\s+kabinet\s+komt|komt\s+het\s+kabinet)\b"
    r"(?:\s+\S+){0,14}?\s+(?:op\s+)?terug\b",
    re.IGNORECASE,
)
# "De verwachting is dat de commissie begin 2025 zal rapporteren": an expected, dated delivery
_EXPECTATION = FastPattern(
    r"\b(?:de\s+verwachting\s+is|(?:ik|wij|we|het\s+kabinet)\s+verwacht(?:en)?)\s+dat\b", re.IGNORECASE
)
# "Ik verwacht dit begin juli": the thing just announced, expected at a time
_EXPECTED_AT = FastPattern(
    r"^(?:ik|wij|we|het\s+kabinet)\s+verwacht(?:en)?\s+(?:dit|dat|deze|die|het)\s+(?!dat\b)", re.IGNORECASE
)
_EXPECTED_CAN = FastPattern(
    r"\bnaar\s+verwachting\s+(?:kan|kunnen)\s+(?:ik|wij|we|het\s+kabinet)\b(?:\s+\S+){0,10}?\s+(?:"
    + alternation(EXPECTED_ACT_INFINITIVES)
    + r")\b",
    re.IGNORECASE,
)
_EXPECTED_ACT = re.compile(
    r"\b(?:zal|zullen|wordt|worden)\b.*\b(?:" + alternation(EXPECTED_ACT_INFINITIVES + COMPLETION_WORDS) + r")\b",
    re.IGNORECASE,
)
# "Het rapport verschijnt naar verwachting in het voorjaar": a deliverable as the subject of appearing
_APPEARS = re.compile(
    r"\b(?:" + alternation(APPEAR_VERBS) + r")\b|\bvindt\b(?:\s+\S+){0,8}?\s+plaats\b"
    r"|\b(?:komt|komen)\b(?:\s+\S+){0,8}?\s+(?:beschikbaar|gereed|klaar)\b"
    r"|\b(?:is|zijn|staat|staan)\s+(?:\S+\s+){0,3}?(?:voorzien|gepland)\s+(?:in|voor|rond|na|medio|begin|eind)\b"
    r"|\b(?:zal|zullen)\b(?:\s+\S+){0,10}?\s+(?:" + alternation(APPEAR_INFINITIVES) + r")\b",
    re.IGNORECASE,
)
_APPEAR_STEMS = (
    "verschijn",
    "volg",
    "plaats",
    "starten",
    "beginnen",
    "beschikbaar",
    "gereed",
    "klaar",
    "voorzien",
    "gepland",
)
_DEMONSTRATIVE_SUBJECT = re.compile(r"^(?:deze|dit|die|dat)\s+\S+", re.IGNORECASE)
# "De Adviesraad Migratie brengt in juni advies uit": a named body, a present-tense act, a time phrase
_BODY_ACT = re.compile(r"(?:\s+[A-Z][\w-]*){0,3}(?:\s*\([^()]{1,20}\))?\s+(?:" + alternation(BODY_ACT_VERBS) + r")\b")
# "De komende maanden werk ik ... uit": a fronted time phrase, the finite verb, then the subject (V2)
_FRONTED_TIME = re.compile(r"^(?P<time>[^,]{4,60}?)\s+(?P<verb>\w+)\s+(?:ik|wij|we|het\s+kabinet)\b", re.IGNORECASE)
# "in de later dit jaar te verschijnen rapportage": a gerundive that announces a deliverable
_TO_APPEAR = re.compile(
    r"\bte\s+(?:" + alternation(APPEAR_INFINITIVES + SENT_INFINITIVES) + r")\s+(?P<rest>(?:\S+\s+){0,3}\S+)",
    re.IGNORECASE,
)
# "binnen drie maanden na publicatie": a term counted from another event still dates the promise
_RELATIVE_TERM = re.compile(r"\bbinnen\s+\S+\s+(?:dagen|weken|maanden|jaar)\s+na\b", re.IGNORECASE)
# "In de volgende voortgangsrapportage informeer ik u": the next issue of a series dates the act
_NEXT_ISSUE = re.compile(
    r"\b(?:eerst)?volgende\s+(?:\S+\s+){0,2}?\S*(?:brief|rapportage|rapport|verslag|monitor)\b", re.I
)
# "Naar verwachting is het onderzoek in het najaar afgerond": only "naar verwachting" hedges a completion
_EXPECTED_DONE = re.compile(r"\b(?:" + alternation(COMPLETION_WORDS) + r")\b", re.IGNORECASE)
_OTHER_HEDGE = re.compile(r"\b(?:mogelijk|wellicht|waarschijnlijk|kunnen|moeten|zou)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",\s|;\s|(?<!\d)\s(?:en|maar)\s(?!\d)")
_FUNCTION_WORD = re.compile(
    r"\b(?:" + alternation(tuple(DUTCH_FUNCTION_WORDS) + tuple(ENGLISH_FUNCTION_WORDS)) + r")\b"
)
_PASSIVE_VERB = re.compile(r"\b(?:wordt|worden)\b", re.IGNORECASE)
_DONE_NOW = re.compile(r"(?:hiermee|hierbij|daarmee|met\s+deze\s+brief)\b", re.IGNORECASE)
_INDEFINITE = re.compile(r"\been\b", re.IGNORECASE)
_CREATION = re.compile(r"\b(?:" + alternation(CREATION_PARTICIPLES) + r")\b", re.IGNORECASE)
# "Het streven is deze regeling medio dit jaar te publiceren": the government's aim, stated as a noun
# "Het voornemen is ... te", "Het is de bedoeling dat ...", "De planning is dat ...": the same aim, other nouns
_AIM = FastPattern(
    r"\b(?:het\s+(?:streven|voornemen)\s+is|is\s+het\s+(?:streven|voornemen))\b(?=(?:\s+\S+){0,16}?\s+te\s+\w+)"
    r"|\b(?:het\s+is|is\s+het)\s+de\s+bedoeling\s+(?:om|dat)\b|\bde\s+planning\s+is\s+(?:om|dat)\b",
    re.IGNORECASE,
)
# "is in de Kamerbrief aangegeven dat het kabinet uw Kamer ... informeert": a promise reported as made earlier
_REPORTED_PROMISE = FastPattern(
    r"\b(?:aangegeven|toegezegd|aangekondigd|gemeld|gezegd)\s+dat\s+(?:het\s+kabinet|ik|wij|we|de\s+minister)\b"
    r"(?:\s+\S+){0,25}?\s+(?:informeert|informeer|informeren|stuurt|stuur|sturen|zal|zullen)\b",
    re.IGNORECASE,
)
# "ik volg dit advies op": adopting advice is an announced act ("neemt de aanbeveling over" only states a position)
_ADOPTS = FastPattern(
    r"\b(?:ik\s+volg|volg\s+ik|(?:wij|we)\s+volgen|het\s+kabinet\s+volgt)\b"
    r"(?:\s+\S+){0,3}?\s+(?:advies|adviezen|aanbeveling|aanbevelingen|motie|verzoek)\s+(?:\S+\s+){0,3}?op\b",
    re.IGNORECASE,
)
# "Het ministerie is momenteel bezig met de evaluatie", "het kabinet werkt aan een wetsvoorstel": our own work on
# a named deliverable (an agentless "wordt gewerkt aan" names no one)
_WORKS_ON = FastPattern(
    r"\b(?:(?:is|zijn|ben)\s+(?:\S+\s+){0,3}?bezig\s+met|werkt|werken|werk)\s+(?:aan\s+)?(?:de|het|een)\s+",
    re.IGNORECASE,
)
_HARD_HEDGE = re.compile(r"\b(?:mogelijk|wellicht|waarschijnlijk|kunnen|moeten|zou)\b", re.IGNORECASE)
_ONGOING = re.compile(r"\b(?:momenteel|op\s+dit\s+moment|thans|nu|al|reeds|inmiddels)\b", re.IGNORECASE)
# any present passive with a participle after "wordt": "Er wordt dit voorjaar ... toegewerkt naar ..."
_ANY_PRESENT_PASSIVE = re.compile(
    r"\b(?:wordt|worden)\b(?:\s+\S+){0,25}?\s+(?:ge|ver|be|ont|toe|uit|op|aan|af|in|over)\w+[dt]\b", re.I
)
_HEAD_SUBORDINATOR = re.compile(
    r"\b(?:dat|die|wat|welke|waar\w*|omdat|zodat|wanneer|indien|nadat|voordat|zodra|terwijl|hoewel|doordat|of|als)\b",
    re.IGNORECASE,
)
_AGENT_PHRASE = re.compile(r"(?<!vervangen\s)\bdoor\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;.]|$")
# "Daarna zal ik ... enkele vraagstukken schetsen": the letter announcing its own next section
# "Daarvoor zal ik ingaan op de rol van het Rijk": announcing a section of this letter
_SECTION = re.compile(
    r"\b(?:zal|zullen|ga|gaan)\s+(?:ik|wij|we|het\s+kabinet)\s+(?:\S+\s+){0,3}?(?:"
    + alternation(DISCOURSE_VERBS)
    + r"|in\s+op)\b",
    re.IGNORECASE,
)
_LETTER_STRUCTURE = re.compile(
    r"^(?:" + alternation(SEQUENCE_OPENERS) + r")\b(?=.*\b(?:" + alternation(DISCOURSE_VERBS) + r")\b)", re.I
)
# quoted titles and citations: 'Agenten willen meer aandacht voor milieu' is not the writer speaking
_QUOTE_MARKS = ("'", "‘", "“", '"')
_QUOTED = re.compile(r"“[^”]{1,200}”|‘[^‘]{1,200}’(?!\w)|(?<!\w)'[^']{1,200}'(?!\w)|\"[^\"]{1,200}\"")
_JUDGED = r"\b(?:verwacht|geschat|gezien|beschouwd|genoemd|gebruikt|bepaald)\b"
_NOT_AN_ACT = re.compile(_JUDGED + r"|(?<!vervangen\s)\bdoor\s+\w")
_HEDGE_WORDS = re.compile(r"\b(?:mogelijk|wellicht|waarschijnlijk|naar\s+verwachting|kunnen|moeten|zou)\b")
_ANY_DATE = date(1900, 1, 1)  # to test for a time phrase in an undated letter (its interval is not used)
_QUESTION_HEADING = re.compile(r"^vraag(?:en)?\s+\d+", re.IGNORECASE)
_ANSWER_HEADING = re.compile(r"^antwoord(?:en)?\b", re.IGNORECASE)
_ANAPHORIC_START = re.compile(
    r"^(?:in\s+dit\s+kader|daartoe|hiertoe|daarom|daarbij|hiervoor|hiermee|daarmee|zoals\s+\w+)\b", re.I
)
_DASH_INSERT = re.compile(r"\s[–—-]\s[^–—]{3,200}?\s[–—-]\s")
# deliverable -> a search for the nouns that name it ("conferentie": conferentie, conferenties, summit, top, ...)
_NOUNS_OF = {d: [noun for noun, of in DELIVERABLES.items() if of == d] for d in set(DELIVERABLES.values())}
_NOUN_SEARCH = {d: re.compile("|".join(re.escape(noun) for noun in nouns)) for d, nouns in _NOUNS_OF.items()}


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
        if deliverable and deliverable in map(deliverable_of, _TOKEN.findall(text)):
            return index - back
    return index - 1 if index > 0 else None


@dataclass
class _Draft:
    index: int
    statement: CommitmentStatement
    definite: bool
    due_from_event: bool = False  # due taken from the event the act happens at, not from a time phrase


@dataclass(frozen=True)
class _Letter:
    """What every sentence of one letter is read against; `lowered` holds the sentences in lower case."""

    sentences: Sequence[Sentence]
    lowered: Sequence[str]
    info: DocumentInfo
    aliases: dict[str, tuple[str, str]]
    motion_ids: tuple[str, ...]
    skipped: set[int]


def is_dutch(text: str) -> bool:
    """More Dutch than English function words: an English text (a UN resolution) holds no Dutch promises."""
    words = _FUNCTION_WORD.findall(text[:2000].lower())  # the opening page tells the language
    dutch = sum(word in DUTCH_FUNCTION_WORDS for word in words)
    return dutch >= len(words) - dutch


def find_commitments(doc: CleanDocument, info: DocumentInfo) -> tuple[CommitmentStatement, ...]:
    if not is_dutch(doc.body):
        return ()
    sentences = sentences_of(doc.body)
    aliases = find_aliases(doc.body)
    motion_ids = tuple(dict.fromkeys(m.id for m in find_motions(doc) if m.id))
    letter = _Letter(sentences, [s.text.lower() for s in sentences], info, aliases, motion_ids,
                     _question_sentences(sentences))  # fmt: skip
    signer = signing_minister(doc)
    drafts: list[_Draft] = []
    for index in range(len(sentences)):
        draft = _commitment_at(letter, index)
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
    return tuple(d.statement for d in _merge_coreferent(drafts, letter))


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
        if _AFTER_EVENT.search(text[: match.start()]):
            continue  # after the event, not at it
        wanted = {deliverable_of(word) for word in reference.split()} | {
            d for alias, (d, _) in aliases.items() if alias in reference or reference in alias
        }
        wanted.discard(None)  # a word that names no deliverable must not match a draft without one
        for draft in reversed(drafts):
            if draft.statement.due and draft.statement.deliverable in wanted:
                return draft.statement.due
    return None


def _commitment_at(letter: _Letter, index: int) -> _Draft | None:
    sentences, info, aliases = letter.sentences, letter.info, letter.aliases
    raw = sentences[index].text
    if index in letter.skipped or not 25 <= len(raw) <= _MAX_SENTENCE:
        return None  # run-on "sentences" (tables, garbage) would make the clause scans quadratic
    raw_lowered = lower_for_needles(raw)  # shared by the needle tests of the patterns below
    strong = _CANDIDATE.search(letter.lowered[index]) is not None  # a marker word: read_sentence may find a promise
    if not strong and not _FUTURE_OPENING.match(raw) \
            and not _present_future(raw, raw_lowered) \
            and not _DATED_PASSIVE.match(letter.lowered[index], letter.lowered[index]) \
            and not _fronted_subject(letter.lowered[index]) \
            and not _weak_candidate(letter.lowered[index]):  # fmt: skip
        return None
    text = _DASH_INSERT.sub(" ", raw)  # "– die waarschijnlijk ... zullen verschijnen –" is about others
    if any(mark in text for mark in _QUOTE_MARKS):
        text = _QUOTED.sub('"…"', text)
    lowered = raw_lowered if text == raw else lower_for_needles(text)
    fulfilled = strong and bool(_FULFILLED_HERE.search(text, lowered))
    earlier = _earlier_promise(text, lowered) if strong else None
    if earlier is not None:
        fulfilled = fulfilled or earlier
    # "In deze brief zal het kabinet ..." is about the letter; "Zoals toegezegd ... informeer ik uw Kamer met
    # deze brief" fulfils a promise in it
    if (_SELF_REFERENCE.search(raw, raw_lowered) and not fulfilled) or _PROPOSAL_OF_OTHERS.search(raw, raw_lowered):
        return None
    actors = find_actors(text)
    reading = read_sentence(text, actors, aliases) if strong else None
    if reading is None and _PRESENT_PASSIVE_INFORM.search(text, lowered):
        reading = Reading("kabinet", "brief", False, 0, True)
    if reading is None and _FUTURE_OPENING.match(text) and _PRESENT_PASSIVE.search(text, lowered) \
            and not actors:  # fmt: skip
        objects = find_objects(text, aliases)
        chosen = objects[0] if objects else None
        reading = Reading("kabinet", chosen.deliverable if chosen else None, bool(chosen and chosen.definite),
                           0, True, bool(chosen and chosen.definite))  # fmt: skip
    if reading is None and not fulfilled:
        reading = _present_future_reading(text, lowered, info.date, aliases)
    if reading is None and not fulfilled and not _actor_before_passive(text, actors):
        reading = _dated_passive_reading(text, lowered, info.date, aliases)
    for rule in _PRESENT_TENSE_RULES:
        if reading is None and not fulfilled:
            reading = rule(text, lowered, info.date, aliases, actors)
    if (
        reading is None and earlier is False and not fulfilled
    ):  # an earlier promise, still open: its actor is the subject here
        reading = Reading(actors[0].name if actors else "kabinet", None, False, 0, False)
    if reading is None and not fulfilled:
        return None
    # dates in parentheses name things ("Roadmap (EDTR, 2019)"), they are not deadlines
    due = _due_of_clause(text, reading.marker if reading else 0, info.date)
    if fulfilled and reading is None:
        due = None  # fulfilled now, by this letter: a date names the debate or the subject, not a deadline
    if due is not None and info.date is not None and due.start.year - info.date.year >= 5:
        return None  # a policy target, not a deliverable
    if due is None and _LETTER_STRUCTURE.match(text) and "kamer" not in letter.lowered[index]:
        return None
    if due is None and reading and reading.deliverable is None and _SECTION.search(text):
        return None
    actor = reading.actor if reading else None
    deliverable = reading.deliverable if reading else None
    topic_text = raw
    antecedent = None
    if reading and (reading.definite or _ANAPHORIC_START.match(text)):
        antecedent = _antecedent(sentences, index, deliverable)
        if antecedent is not None:
            topic_text += " " + sentences[antecedent].text
    if actor is None and antecedent is not None:
        actor = body_actor(sentences[antecedent].text)
    if actor is None:
        if reading and deliverable is None and due is None and not _CREATION.search(text):
            return None  # "Daarbij zal worden gekeken naar ...": no object, no date, nothing made
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
        motions=letter.motion_ids,
        forums=find_forums(raw),
        fulfilled_here=fulfilled,
    )
    return _Draft(index, statement, bool(reading and reading.reference))


def _due_of_clause(text: str, marker: int, document_date: date | None) -> DueInterval | None:
    """The deadline of the promise's own clause ("Op 26 september is er een bijeenkomst en ik verwacht uw Kamer
    dit najaar te informeren"), else of the whole sentence; dates in parentheses name things, not deadlines."""
    due = parse_due(PARENTHESES.sub(" ", text), document_date)
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, marker)), default=0) if due else 0
    if due is None or not start or due.phrase in " ".join(text[start:].split()):
        return due
    own = parse_due(PARENTHESES.sub(" ", text[start:]), document_date)
    if own is None and document_date is not None and due.start.year - document_date.year >= 5:
        return None  # "TenneT adviseert ... na 2030 ... en ik volg dit advies op": another clause's horizon
    return own or due


def _present_future(text: str, lowered: str | None) -> bool:
    """A present-tense act of the government, or parliament receiving something (see _present_future_reading)."""
    return _present_act(text.lower() if lowered is None else lowered) is not None


def _present_act(lowered: str) -> re.Match[str] | None:
    """The subject + present-tense verb of the government's act in the lowered sentence, or an empty match at 0
    for parliament receiving something; None when neither. Each regex only runs after a cheap word test."""
    if lowered.startswith(("ik ", "wij ", "we ")) or any(word in lowered for word in _SUBJECT_WORDS):
        act = _PRESENT_FUTURE.search(lowered, lowered)
        if act is not None:
            return act
    if ("kamer" in lowered or "ontvangt u" in lowered or "u ontvangt" in lowered) and (
        "ontvangt" in lowered or "word" in lowered
    ):
        recipient = _PARLIAMENT_RECEIVES.search(lowered, lowered) or _PRESENT_PASSIVE_SEND.search(lowered, lowered)
        if recipient is not None:
            return _EMPTY.match(lowered)
    return None


_SUBJECT_WORDS = (" ik ", " wij ", " we ", "kabinet", "regering", "ministerie")
_EMPTY = re.compile("")


def _present_future_reading(
    text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]]
) -> Reading | None:
    """Dutch uses the present tense for the future when a time phrase says when: "Voor de zomer stuur ik uw
    Kamer ...", "Begin volgend jaar informeren wij ...", "In het najaar ontvangt uw Kamer ...", "... wordt uw
    Kamer binnen drie weken toegezonden". A promise only with a forward time phrase (one that resolves to an
    interval not ended before the document date; in an undated letter any phrase that resolves at all)."""
    found = _present_act(text.lower() if lowered is None else lowered)
    if found is None:
        return None
    act = found if found.group(0) else None  # an empty match: parliament receives, no acting subject
    relative = found is not None and not found.group(0) and _RELATIVE_TERM.search(text) is not None
    relative = relative or (act is not None and _NEXT_ISSUE.search(text) is not None)
    if not relative and parse_due(PARENTHESES.sub(" ", text), document_date or _ANY_DATE) is None:
        return None
    actor = "kabinet"
    if act is not None and re.search(r"\bik\b", act.group(0)):
        actor = "ik"
    objects = find_objects(text, aliases)
    chosen = next((o for o in objects if not o.definite), objects[0] if objects else None)
    if act is not None and "informe" in act.group(0):
        return Reading(actor, "brief", False, act.start(), False)
    return Reading(actor, chosen.deliverable if chosen else None, bool(chosen and chosen.definite),
                   act.start() if act else 0, act is None)  # fmt: skip


def _dated_passive_reading(
    text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]]
) -> Reading | None:
    """ "De regeling wordt per 1 juli verruimd": the government's act, scheduled by a forward time phrase; not
    with an agent ("door de gemeenten"), a hedge, or a verb of judging ("wordt in 2030 verwacht")."""
    lowered = text.lower() if lowered is None else lowered
    match = _DATED_PASSIVE.match(lowered, lowered)
    if match is None or _NOT_AN_ACT.search(lowered) or _HEDGE_WORDS.search(lowered):
        return None
    if parse_due(PARENTHESES.sub(" ", text), document_date or _ANY_DATE) is None:
        return None
    objects = find_objects(text[: match.end()], aliases)
    chosen = objects[0] if objects else None
    return Reading("kabinet", chosen.deliverable if chosen else None, False, 0, True)


def _merge_coreferent(drafts: list[_Draft], letter: _Letter) -> list[_Draft]:
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
    sentences, aliases = letter.sentences, letter.aliases
    for draft in kept:
        deliverable = draft.statement.deliverable
        if not deliverable or deliverable == "brief":
            continue
        surfaces = {a for a, (d, _) in aliases.items() if d == deliverable}
        nouns = _NOUNS_OF.get(deliverable, []) + [a.lower() for a in surfaces]
        if not nouns:
            continue  # no sentence can mention it
        words = re.compile("|".join(map(re.escape, nouns))) if surfaces else _NOUN_SEARCH[deliverable]
        extra: set[str] = set()
        for sentence, lowered in zip(sentences[draft.index + 1 : draft.index + 40],
                                     letter.lowered[draft.index + 1 : draft.index + 40], strict=True):  # fmt: skip
            if not words.search(lowered):
                continue  # cheap filter before the token scan: none of the words is in the sentence
            objects = find_objects(sentence.text, {a: aliases[a] for a in surfaces})
            if any(o.deliverable == deliverable and o.definite for o in objects):
                extra |= topic_words(sentence.text)
        draft.statement = replace(draft.statement, topic=draft.statement.topic | frozenset(extra))
    return kept


def _same_side(first: str | None, second: str | None) -> bool:
    return first == second or (is_government(first) and is_government(second))


def _earlier_promise(text: str, lowered: str | None) -> bool | None:
    """None when the sentence reports no earlier promise; else whether the rest of it reports the promise met
    ("Zoals toegezegd ... ben ik in gesprek gegaan", "Met deze brief geeft het kabinet invulling aan ...")."""
    match = _EARLIER_PROMISE.search(text, lowered)
    if match is None:
        low = text.lower()
        perfect = _PERFECT_PROMISE.search(text) if "toegezegd" in low or "beloofd" in low else None
        subjects = find_actors(text[: perfect.end()]) if perfect else []
        if not subjects or not is_government(subjects[0].name) or subjects[0].name == "Nederland":
            return None
        return False  # "De toenmalige minister heeft ... aangekondigd": stated then, not met here
    rest = text[match.end() :]
    return bool(_DONE.search(rest) or _SELF_REFERENCE.search(text, lowered))


Rule = Callable[[str, str | None, date | None, dict[str, tuple[str, str]], list[ActorHit]], Reading | None]


def _commissioned(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
                  actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Ik ... en laat hier nader naar kijken": the subject (before "laat", or inverted after it) is ours."""
    match = _COMMISSIONED.search(text, lowered)
    if match is None or not _SUBJECT_OF_LATEN.search(text[: match.start()] + text[match.start() : match.end()]):
        return None
    return Reading("ik" if re.search(r"\bik\b", text, re.I) else "kabinet", None, False, match.start(), False)


def _there_comes(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
                 actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Tot slot komt er ... een plan van aanpak": a new deliverable ("een ...") after "komt er"."""
    match = _THERE_COMES.search(text, lowered)
    if match is None or _head_is_subordinate(text, match.start()):
        return None
    article = _INDEFINITE.search(text, match.end())
    new = find_objects(text[article.end() : article.end() + 60], aliases, article.end()) if article else []
    if not new:
        return None
    return Reading("kabinet", new[0].deliverable, False, match.start(), False)


def _created(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
             actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Ten tweede wordt een afwegingskader ... gemaakt": not ongoing ("momenteel"), not someone else's act."""
    match = _CREATED.search(text, lowered)
    if match is None or _head_is_subordinate(text, match.start()) or _ONGOING.search(text):
        return None
    if _foreign_agent(text, match):
        return None
    made = [o for o in find_objects(text[match.start() : match.end()], aliases, match.start()) if not o.definite]
    return Reading("kabinet", made[0].deliverable if made else None, False, match.start(), True)


def _dated_present_passive(text: str, lowered: str | None, document_date: date | None,
                           aliases: dict[str, tuple[str, str]], actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Er wordt dit voorjaar ... toegewerkt naar oplevering van een document": a main-clause present passive
    with a forward time phrase that is not vague, not hedged, not judged ("verwacht"), not by others."""
    match = _ANY_PRESENT_PASSIVE.search(text) if "word" in text else None
    if match is None or _head_is_subordinate(text, match.start()) or _ONGOING.search(text) or _DONE.search(text):
        return None
    if re.search(_JUDGED, match.group(0), re.IGNORECASE):
        return None
    if _foreign_agent(text, match) or (_HEDGE_WORDS.search(text.lower()) and not _expected_done(text)):
        return None
    if document_date is None or _DONE_NOW.match(text):
        return None  # without a date no phrase is known to lie ahead; "Hiermee wordt ..." is done by this letter
    due = parse_due(PARENTHESES.sub(" ", text), document_date)
    if due is None or due.precision == "vague":
        return None
    objects = find_objects(text, aliases)
    chosen = next((o for o in objects if not o.definite), objects[0] if objects else None)
    return Reading("kabinet", chosen.deliverable if chosen else None, False, match.start(), True)


def _actor_before_passive(text: str, actors: list[ActorHit]) -> bool:
    """An actor before "wordt": the subject acts ("aan de RVO" after it is only the recipient)."""
    verb = _PASSIVE_VERB.search(text)
    end = verb.start() if verb else len(text)
    return any(actor.start < end for actor in actors)


def _expected_done(text: str) -> bool:
    return _EXPECTED_DONE.search(text) is not None and _OTHER_HEDGE.search(text) is None


def _head_is_subordinate(text: str, position: int) -> bool:
    """The clause that holds `position` opens with a subordinator ("..., waarbij in Q1 wordt gesproken")."""
    start = max(text.rfind(",", 0, position), text.rfind(";", 0, position), text.rfind(":", 0, position)) + 1
    return _HEAD_SUBORDINATOR.search(text, start, position) is not None


def _foreign_agent(text: str, passive: re.Match[str]) -> bool:
    """A "door ..." agent that names no government actor: someone else acts. The agent runs to the participle
    when it stands inside the passive ("wordt door de VNG, ... en het ministerie toegewerkt"), else to the
    clause end ("wordt in 2024 uitgevoerd door de provincies")."""
    agent = _AGENT_PHRASE.search(text, passive.start())
    if agent is None:
        return False
    if agent.start() < passive.end():
        end = passive.end()
    else:
        clause_end = _CLAUSE_END.search(text, agent.end())  # "$" always matches
        end = clause_end.start() if clause_end is not None else len(text)
    return not any(is_government(a.name) for a in find_actors(text[agent.start() : end]))


def _come_back(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
               actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    match = _COME_BACK.search(text, lowered)
    if match is None:
        return None
    return Reading("ik" if match.group(0).lower().count("ik") else "kabinet", "brief", False, match.start(), False)


def _expected(text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]],
              actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "De verwachting is dat X begin 2025 zal rapporteren": X's delivery (a body, else the government)."""
    can = _EXPECTED_CAN.search(text, lowered)
    if can is not None and parse_due(PARENTHESES.sub(" ", text), document_date or _ANY_DATE) is not None:
        return Reading(
            "ik" if re.search(r"\bik\b", can.group(0), re.I) else "kabinet", "brief", False, can.start(), False
        )
    match = _EXPECTATION.search(text, lowered)
    if match is None:
        at = _EXPECTED_AT.search(text, lowered)
        if at is None or len(text) > 120 or parse_due(text, document_date or _ANY_DATE) is None:
            return None
        return Reading("ik" if text[:2].lower() == "ik" else "kabinet", None, False, at.start(), False)
    if not _EXPECTED_ACT.search(text, match.end()) or _HEDGE_WORDS.search(text.lower()):
        return None
    if parse_due(PARENTHESES.sub(" ", text), document_date or _ANY_DATE) is None:
        return None
    subjects = [a for a in actors if a.start >= match.end()]
    objects = find_objects(text[match.end() :], aliases, match.end())
    return Reading(subjects[0].name if subjects else "kabinet", objects[0].deliverable if objects else None,
                   False, match.end(), False)  # fmt: skip


def _appears(text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]],
             actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Het rapport verschijnt naar verwachting in het voorjaar": a deliverable before a present-tense verb of
    appearing, with a forward time phrase, in a main clause."""
    low = text.lower()
    match = _APPEARS.search(text) if any(word in low for word in _APPEAR_STEMS) else None
    if match is None or _head_is_subordinate(text, match.start()) or _HARD_HEDGE.search(text):
        return None
    before = find_objects(text[: match.start()], aliases)
    if not before and not _DEMONSTRATIVE_SUBJECT.match(text):  # "Deze komt ... beschikbaar": the one just named
        return None
    if document_date is None:
        return None
    due = parse_due(PARENTHESES.sub(" ", text), document_date)
    if due is None:
        return None
    if not before:
        return Reading("kabinet", None, True, match.start(), False)
    return Reading("kabinet", before[0].deliverable, before[0].definite, match.start(), False)


def _weak_candidate(lowered: str) -> bool:
    """A common verb of the present-tense rules, and a time cue or one of the undated rules' words."""
    if _WEAK_WORDS.isdisjoint(lowered.split()):  # the verbs stand inside the sentence: no punctuation attached
        return False
    if has_time_cue(lowered, lowered) or any(cue in lowered for cue in _UNDATED_CUES):
        return True
    return _CREATED.search(lowered, lowered) is not None or _COMMISSIONED.search(lowered, lowered) is not None


def _fronted_subject(lowered: str) -> bool:
    """A government subject after a finite verb of acting, after a fronted phrase that names a time (checked
    cheaply, words first)."""
    if not any(word in lowered[:80] for word in _SUBJECT_WORDS):
        return False
    match = _FRONTED_TIME.match(lowered)
    return (
        match is not None
        and match.group("verb") not in NOT_ACT_VERBS
        and has_time_cue(match.group("time"), match.group("time"))
    )


def _to_appear(text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]],
               actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "Hiervoor is aandacht in de later dit jaar te verschijnen rapportage": a dated, announced deliverable."""
    if " te " not in text:
        return None
    for match in _TO_APPEAR.finditer(text):
        named = find_objects(match.group("rest"), aliases, match.start("rest"))
        if not named or document_date is None:
            continue
        due = parse_due(PARENTHESES.sub(" ", text), document_date)
        if due is None or due.precision == "vague":
            return None
        return Reading("kabinet", named[0].deliverable, False, match.start(), False)
    return None


def _aim(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
         actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    match = _AIM.search(text, lowered) or _REPORTED_PROMISE.search(text, lowered) or _ADOPTS.search(text, lowered)
    if match is None:
        return None
    objects = [o for o in find_objects(text[match.end() :], aliases, match.end())]
    return Reading("kabinet", objects[0].deliverable if objects else None, False, match.start(), False)


def _works_on(text: str, lowered: str | None, _date: date | None, aliases: dict[str, tuple[str, str]],
              actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    match = _WORKS_ON.search(text, lowered)
    if match is None or _head_is_subordinate(text, match.start()):
        return None
    subject = [a for a in actors if a.end <= match.start() and match.start() - a.end <= 40]
    if not subject or not is_government(subject[-1].name):
        return None
    named = find_objects(text[match.end() : match.end() + 40], aliases, match.end())
    if not named or named[0].position != match.end():
        return None  # the work's object is a deliverable: "bezig met de evaluatie", not "bezig met de vraag"
    return Reading(subject[-1].name, named[0].deliverable, False, match.start(), False)


def _body_acts(text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]],
               actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "De Adviesraad Migratie brengt in juni advies uit": a body right before its present-tense verb."""
    for actor in actors:
        if is_government(actor.name) or not _BODY_ACT.match(text, actor.end):
            continue
        if _head_is_subordinate(text, actor.start):
            return None
        if parse_due(PARENTHESES.sub(" ", text), document_date or _ANY_DATE) is None:
            return None
        objects = [o for o in find_objects(text[actor.end :], aliases, actor.end) if not o.definite]
        return Reading(actor.name, objects[0].deliverable if objects else None, False, actor.end, False)
    return None


def _fronted_time(text: str, lowered: str | None, document_date: date | None, aliases: dict[str, tuple[str, str]],
                  actors: list[ActorHit]) -> Reading | None:  # fmt: skip
    """ "De komende maanden werk ik ... een regeling uit": Dutch puts the finite verb second, after a fronted
    time phrase; with a forward phrase the present tense announces an act."""
    match = _FRONTED_TIME.match(text) if _fronted_subject(text.lower()) else None
    if match is None or match.group("verb").lower() in NOT_ACT_VERBS or _HARD_HEDGE.search(text):
        return None
    if parse_due(match.group("time"), document_date or _ANY_DATE) is None:
        return None
    objects = [o for o in find_objects(text[match.end() :], aliases, match.end()) if not o.definite]
    actor = "ik" if match.group(0).lower().endswith("ik") else "kabinet"
    return Reading(actor, objects[0].deliverable if objects else None, False, match.start("verb"), False)


_PRESENT_TENSE_RULES: tuple[Rule, ...] = (
    _aim, _works_on, _commissioned, _there_comes, _created, _come_back, _expected, _appears, _to_appear,
    _body_acts, _fronted_time, _dated_present_passive,
)  # fmt: skip
