"""Motions a document reports on: "motie Koopmans c.s. (Kamerstuk 33 694, nr. 43)" -> 33694-43."""

from __future__ import annotations

import re
from functools import lru_cache

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.metadata import kamerstuk
from services.ingest.domain.model import MotionMention
from services.ingest.domain.patterns import compile_guarded
from services.ingest.domain.sentences import split_sentences

DOSSIER = r"(?<![\d/])(?P<dossier>\d{2}\s?\d{3}(?:\s?[-‑]\s?[0-9]{1,3}|\s?[-‑]?\s?[A-Z]{1,5}\b)?)"
REFERENCE = compile_guarded(
    r"(?:kamerstuk(?:ken)?\s*:?\s*(?:vergaderjaar\s+\d{4}\s*[-–]\s*\d{4}\s*,\s*)?)?"
    + DOSSIER
    + r"\s*,?\s*(?:nrs?|nummers?|no)\.?\s*(?P<number>\d{1,4})\b"
    # an enumeration of numbers in one dossier: "nrs. 800 en 801", "nr. 12, 13 en 15" (not "nr. 12, 2023")
    + r"(?P<more>(?:\s*,\s*\d{1,4})*\s*(?:en|&)\s*(?:nr\.?\s*)?\d{1,4}\b(?!\s*[-–]?\s*\d))?",
    re.IGNORECASE,
)
# An officielebekendmakingen id, in a link or on its own: "kst-36200-XVI-12", ".../kst-21501-02-2498.html"
_KST_ID = re.compile(r"\bkst-(?P<dossier>\d{5}(?:-(?:\d{1,3}|[A-Z]{1,5}))?)-(?P<number>\d{1,4})\b(?P<more>)")


def _references(text: str) -> list[re.Match[str]]:
    """Kamerstuk references in `text`, in order: "Kamerstuk 33 694, nr. 43" and "kst-33694-43"."""
    found = [*REFERENCE.finditer(text), *(_KST_ID.finditer(text) if "kst-" in text else ())]
    return sorted(found, key=lambda m: m.start())


# The nearest of these words before a reference says what the reference is.
_REFERENT = compile_guarded(
    r"\b(?P<word>moties?|(?:kamer)?brie(?:f|ven)|\w*debat(?:ten)?|verslag|nota|initiatiefnota|"
    r"(?:nota|commissie|wetgevings|algemeen\s+|schriftelijk\s+)overleg|"  # not "in overleg met"
    r"antwoord(?:en)?|vragen|(?:kabinets)?reactie|amendement|wetsvoorstel|fiche|advies|kamerstuk(?:ken)?)\b",
    re.IGNORECASE,
)
_MOTION_WORD = re.compile(r"\bmoties?\b", re.IGNORECASE)
_NAME = r"(?:(?:[Vv]an\s+(?:der\s+|den\s+|de\s+)?|[Dd]e\s+|[Tt]er\s+|[Tt]en\s+)?[A-Z][\w'’]+(?:-[A-Z][\w'’]+)?)"
_SUBMITTER = re.compile(
    r"\b[Mm]oties?(?:\s+|-)(?:van\s+(?:het\s+|de\s+)?(?:lid|leden|[Kk]amerleden)\s+)?(?P<name>" + _NAME + r")"
    r"(?:\s+(?:en|c\.s\.)\s*(?:" + _NAME + r")?)?"
)  # case-sensitive: a submitter is a capitalised name
_NOT_NAMES = frozenset({"kamerstuk", "kamerstukken", "de", "het", "een", "die", "dit", "deze", "van", "over", "nr"})
_FOOTNOTE_MARKER = re.compile(r"\[\^(\d+)\]")
_SENTENCE_REACH = 600  # characters before a footnote marker: what the whole sentence names


def normalise_dossier(dossier: str) -> str:
    """ "33 694" -> "33694", "21 501-02" -> "21501-02", "34 300 X" -> "34300-X"."""
    text = re.sub(r"^(\d{2})\s?(\d{3})", r"\1\2", dossier.strip())
    text = re.sub(r"\s*[-‑]\s*", "-", text)
    return re.sub(r"^(\d{5})\s+([A-Z]+)$", r"\1-\2", text)


def _submitter_before(sentence: str, position: int) -> str | None:
    submitter = None
    for match in _SUBMITTER.finditer(sentence[max(0, position - 300) : position]):  # bounded: no quadratic scans
        name = match.group("name")
        if name.lower() not in _NOT_NAMES and not name[:1].isdigit():
            submitter = name
    return submitter


def _is_motion_reference(sentence: str, position: int, reach: int = 160) -> bool:
    """The nearest referent word within `reach` characters before `position` is "motie(s)"."""
    words = [m.group("word").lower() for m in _REFERENT.finditer(sentence[max(0, position - reach) : position])]
    words = [w for w in words if not w.startswith("kamerstuk")]
    return bool(words) and words[-1].startswith("motie")


def _motion_ids(ref: re.Match[str]) -> list[str]:
    """ "31 765, nr. 957" -> ["31765-957"]; "31 765, nrs. 800 en 801" -> ["31765-800", "31765-801"]."""
    dossier = normalise_dossier(ref.group("dossier"))
    return [f"{dossier}-{n}" for n in [ref.group("number"), *re.findall(r"\d{1,4}", ref.group("more") or "")]]


def _mentions_in_sentence(sentence: str, footnotes: dict[str, str]) -> list[MotionMention]:
    marked = bool(footnotes) and "[^" in sentence
    named = _MOTION_WORD.search(sentence) is not None
    if not named and not marked:
        return []
    notes = [(m, footnotes.get(m.group(1), "")) for m in _FOOTNOTE_MARKER.finditer(sentence)] if marked else []
    if not named and not any(_MOTION_WORD.search(note) for _, note in notes):
        return []
    found: list[MotionMention] = []
    for ref in _references(sentence):
        if _is_motion_reference(sentence, ref.start()):
            submitter = _submitter_before(sentence, ref.start())
            found.extend(MotionMention(motion_id, submitter, sentence) for motion_id in _motion_ids(ref))
    # A footnote holds the number of what the sentence names before its marker ("de motie van het lid X over
    # ...[^2]" / "[^2]: Kst. 23 235, nr. 252"), or names the motion itself ("Motie van het lid X, Kamerstuk ...").
    for marker, note in notes:
        pointed = _is_motion_reference(sentence, marker.start(), _SENTENCE_REACH)
        for ref in _references(note):
            if pointed or _is_motion_reference(note, ref.start()):
                submitter = _submitter_before(sentence, marker.start()) or _submitter_before(note, ref.start())
                found.extend(MotionMention(motion_id, submitter, sentence) for motion_id in _motion_ids(ref))
    # motions named without a number ("de motie-Hijink"), also next to numbered ones in the same sentence
    numbered = {(m.submitter or "").lower() for m in found}
    for match in _SUBMITTER.finditer(sentence):
        name = match.group("name")
        if name.lower() not in _NOT_NAMES and name.lower() not in numbered:
            found.append(MotionMention(None, name, sentence))
    return found


def find_motions(doc: CleanDocument) -> tuple[MotionMention, ...]:
    """One mention per motion id (first sentence wins); unnumbered motions only when no numbered
    mention has the same submitter. A document's own Kamerstuk id (its footer, a motion's own number) is
    not a motion it refers to."""
    found = _find_motions(doc.body, tuple(sorted(doc.footnotes.items())))
    own = kamerstuk(doc) if any(m.id for m in found) else None
    return tuple(m for m in found if m.id != f"{own.dossier}-{own.number}") if own else found


@lru_cache(maxsize=16)  # commitments and extract both ask for the motions of one document
def _find_motions(body: str, footnote_items: tuple[tuple[str, str], ...]) -> tuple[MotionMention, ...]:
    footnotes = dict(footnote_items)
    by_id: dict[str, MotionMention] = {}
    unnumbered: dict[str, MotionMention] = {}
    for sentence in split_sentences(body):
        for mention in _mentions_in_sentence(sentence, footnotes):
            if mention.id is None:
                unnumbered.setdefault((mention.submitter or "").lower(), mention)
                continue
            current = by_id.get(mention.id)
            if current is None:
                by_id[mention.id] = mention
            elif current.submitter is None and mention.submitter:
                by_id[mention.id] = MotionMention(current.id, mention.submitter, current.sentence)
    named = {(m.submitter or "").lower() for m in by_id.values()}
    extra = [m for key, m in unnumbered.items() if key not in named]
    return (*by_id.values(), *extra)
