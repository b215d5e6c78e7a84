"""Dutch sentence splitting that survives abbreviations, initials and footnote markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> list[str]:
    return text.split()


# Never a sentence end: titles, references, Latin and Dutch abbreviations that sit mid-sentence.
_HARD_ABBREVIATIONS = frozenset(
    _words(
        """
    nr nrs o.a i.s.m t.a.v m.n bijv bv dwz d.w.z prof dr drs mr ir ing h.e ms mrs mr st e.g i.e vs m.b.t
    i.v.m ca resp art blz p pp z.g zgn jo ca incl excl vgl zie afd min mw dhr mevr no kst t.b.v i.o.m
    m.i.v m.u.v o.b.v n.a.v t.z.t a.s e.a ivm tbv mbt ihkv i.h.k.v sr jr
    """
    )
)
# Often mid-sentence, but may end one: a sentence end only before a capitalised word.
_SOFT_ABBREVIATIONS = frozenset(["jl", "c.s", "e.d", "enz", "etc", "jongstl"])

# "[.!?…][.!?…]*" is "[.!?…]+", written so that the regex engine can skip to the next punctuation mark
_BOUNDARY = re.compile(r"[.!?…][.!?…]*['\"”’»)\]]*(?:\[\^\d+\])*(?=\s+[\"“‘'«]?[A-ZÀ-Ý0-9])")
_DOTTED = re.compile(r"(?:[a-z]\.){2,}[a-z]?")
_LIST_NUMBER = re.compile(r"\d{1,2}\.")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.)+$")


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int  # index of the paragraph it belongs to
    start: int  # offset in the paragraph


def _is_abbreviation(token: str, next_word: str) -> bool:
    bare = token.rstrip(".!?…").lstrip("(“‘\"'«").lower()
    if bare in _HARD_ABBREVIATIONS:
        return True
    if bare in _SOFT_ABBREVIATIONS:
        return False
    if _INITIALS.match(token.lstrip("(“‘\"'«")):
        return True  # "H.P.M. Knapen", "W.B. Hoekstra"
    # "o.a." style: letters separated by dots
    return bool(_DOTTED.fullmatch(bare + ".")) and not next_word[:1].isdigit()


def _next_word(paragraph: str, end: int) -> str:
    """paragraph[end:].lstrip()[:20] without copying the rest of the paragraph at every boundary."""
    word = paragraph[end : end + 64].lstrip()[:20]
    if len(word) < 20 and end + 64 < len(paragraph):
        word = paragraph[end:].lstrip()[:20]  # a long run of spaces
    return word


def split_paragraph(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of one paragraph."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        if match.group(0).startswith("."):
            # the last run of non-space characters, as _TOKEN_BEFORE ("(\S+)$") finds it
            token = (paragraph[max(start, match.start() - 40) : match.start()] + ".").rsplit(None, 1)[-1]
            next_word = _next_word(paragraph, end)
            if _is_abbreviation(token, next_word):
                continue
            # a list number at the start of a paragraph: "1. Landen die ..."
            if start == 0 and _LIST_NUMBER.fullmatch(token) and paragraph[: match.start()].isdigit():
                continue
        sentence = paragraph[start:end].strip()
        if sentence:
            out.append((start, sentence))
        start = end
    tail = paragraph[start:].strip()
    if tail:
        out.append((start, tail))
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a text whose paragraphs are separated by blank lines."""
    return [s.text for s in sentences_of(text)]


@lru_cache(maxsize=16)
def sentences_of(text: str) -> tuple[Sentence, ...]:
    """Cached: every finder of one extraction splits the same body."""
    out: list[Sentence] = []
    for index, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        flat = " ".join(paragraph.split())
        out.extend(Sentence(sentence, index, offset) for offset, sentence in split_paragraph(flat))
    return tuple(out)
