"""Needles: words a regex cannot match without, so that a plain substring test can skip the regex scan.

`Needles` are literal strings one of which every match contains ("uiterlijk", "kwartaal"): when none occurs
in the text, the pattern cannot match. `FastPattern` combines them with the guard of `patterns.py`, and for
long texts tries the pattern only where one of the words every match starts with occurs. Case-insensitive
patterns are tested on the lowered text; results are always exactly those of the plain regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import cast

from services.ingest.domain.patterns import Items, Underivable, compile_guarded, opname, parse, sub_ignorecase
from services.ingest.domain.regex_syntax import SubpatternArg

# IGNORECASE matches "ı" and "ſ" for "i" and "s", and "İ" (whose lower() is two characters) for "i": in a text
# with one of these the lowered text is not trusted, and needles never contain a non-ASCII letter with such a
# partner. The partners are found by asking `re` itself, over the Basic Multilingual Plane: no case pairs cross
# into the other planes (tests/unit/test_patterns.py checks that).
_BMP = "".join(map(chr, range(0x10000)))


def _odd_partners(pattern: str) -> set[str]:
    """Characters that IGNORECASE matches with `pattern` (one lower-case character or a class of them) whose
    lower() is not the character they match."""
    return {c for c in re.findall(pattern, _BMP, re.IGNORECASE) if not re.fullmatch(pattern, c.lower())}


_ODD_CHARS = _odd_partners("[a-z]")  # {"ı", "ſ", "İ"}
_ODD_CHAR_LIST = tuple(sorted(_ODD_CHARS))


@cache
def _irregular(lower: str) -> bool:
    """A non-ASCII lower-case letter has odd partners ("µ" and "μ" match each other under IGNORECASE)."""
    return bool(_odd_partners(re.escape(lower)))


_MIN_NEEDLE = 2  # shorter literals are too common to be worth a test


def _folded(char: str, ignorecase: bool) -> str:
    """A literal as it appears in the lowered text; Underivable for letters whose case folding is irregular."""
    if not ignorecase:
        return char
    lower = char.lower()
    if len(lower) != 1:
        raise Underivable(char)
    if not char.isascii() and _irregular(lower):
        raise Underivable(char)
    return lower


def _needles(items: Items, ignorecase: bool) -> frozenset[tuple[str, bool]] | None:
    """(literal, ignorecase) pairs one of which every match of `items` contains; None when unknown."""
    candidates: list[frozenset[tuple[str, bool]]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _MIN_NEEDLE:
            candidates.append(frozenset({("".join(run), ignorecase)}))
        run.clear()

    for op, av in items:
        name = opname(op)
        if name == "LITERAL":
            run.append(_folded(chr(av), ignorecase))  # type: ignore[arg-type]
            continue
        flush()
        sub: frozenset[tuple[str, bool]] | None = None
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, pattern = cast(SubpatternArg, av)
            sub = _needles(list(pattern), sub_ignorecase(ignorecase, add_flags, del_flags))
        elif name == "BRANCH":
            alternatives = [_needles(list(alternative), ignorecase) for alternative in av[1]]  # type: ignore[index]
            if all(alternatives):
                sub = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:  # type: ignore[index]
            sub = _needles(list(av[2]), ignorecase)  # type: ignore[index]
        elif name == "ATOMIC_GROUP":
            sub = _needles(list(av), ignorecase)  # type: ignore[call-overload]
        if sub:
            candidates.append(sub)
        # anything else (classes, anchors, lookarounds, optional parts) requires no literal
    flush()
    if not candidates:
        return None
    # the most selective requirement: longest shortest literal, then fewest literals
    return max(candidates, key=lambda c: (min(len(text) for text, _ in c), -len(c)))


def _starts(items: Items, ignorecase: bool) -> frozenset[tuple[str, bool]] | None:
    """(literal, ignorecase) pairs every match of `items` starts with; None when unknown."""
    for index, (op, av) in enumerate(items):
        name = opname(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: the match starts with what follows
        if name == "LITERAL":
            run: list[str] = []
            for next_op, next_av in items[index:]:
                if opname(next_op) != "LITERAL":
                    break
                run.append(_folded(chr(next_av), ignorecase))  # type: ignore[arg-type]
            return frozenset({("".join(run), ignorecase)})
        if name == "BRANCH":
            alternatives = [_starts(list(alternative), ignorecase) for alternative in av[1]]  # type: ignore[index]
            return frozenset().union(*alternatives) if all(alternatives) else None  # type: ignore[arg-type]
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, pattern = cast(SubpatternArg, av)
            return _starts(list(pattern), sub_ignorecase(ignorecase, add_flags, del_flags))
        return None
    return None


def lower_for_needles(text: str) -> str | None:
    """text.lower() to share between Needles.may_match calls; None when a character of the text folds
    differently under IGNORECASE (then the needles are not trusted)."""
    for char in _ODD_CHAR_LIST:  # three substring tests: much faster than a regex scan
        if char in text:
            return None
    return text.lower()


_UNSET = ""  # sentinel default of may_match (an empty lowered text cannot belong to a text with needles)


class Needles:
    """The literal words a pattern cannot match without; `may_match` is a substring test on them."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        words: frozenset[tuple[str, bool]] | None = None
        parsed = parse(pattern, flags)
        if parsed is not None:
            try:
                words = _needles(*parsed)
            except Underivable:
                words = None
        self.words = words
        # a word that contains another word of its kind adds nothing ("zomerreces" when "zomer" is there)
        kept = [(w, i) for w, i in words or () if not any(o != w and j == i and o in w for o, j in words or ())]
        self._folded = tuple(sorted(w for w, ignorecase in kept if ignorecase))
        self._exact = tuple(sorted(w for w, ignorecase in kept if not ignorecase))

    @property
    def folded_words(self) -> frozenset[str] | None:
        """The lower-case words, one of which lower_for_needles(text) must contain for a match; None when the
        pattern has no such words (or also case-sensitive ones): then any text may match."""
        if self.words is None or self._exact:
            return None
        return frozenset(self._folded)

    def may_match(self, text: str, lowered: str | None = _UNSET) -> bool:
        """False only if the pattern cannot match `text`; `lowered` is lower_for_needles(text), to share it."""
        if self.words is None:
            return True
        for word in self._exact:
            if word in text:
                return True
        if not self._folded:
            return False
        if lowered is _UNSET:
            lowered = lower_for_needles(text)
        if lowered is None:
            return True
        for word in self._folded:  # noqa: SIM110 - a plain loop is cheaper than any() over a generator
            if word in lowered:
                return True
        return False


_MIN_START = 3  # start words shorter than this occur too often to try the pattern at each of them
_MAX_TRIES = 64


class FastPattern:
    """A guarded regex that skips texts without its needles; `lowered` (lower_for_needles(text)) is optional
    and only shares the lowering between patterns. Same results as re.compile(pattern, flags)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = compile_guarded(pattern, flags)
        self.needles = Needles(pattern, flags)
        self.starts: tuple[tuple[str, bool], ...] | None = None  # the words every match starts with
        parsed = parse(pattern, flags)
        if parsed is not None:
            try:
                starts = _starts(*parsed)
            except Underivable:
                starts = None
            if starts and min(len(word) for word, _ in starts) >= _MIN_START:
                # "voornemens" starts where "voornemen" does: the shorter word finds both
                self.starts = tuple(sorted(
                    (word, folded) for word, folded in starts
                    if not any(other != word and same == folded and word.startswith(other) for other, same in starts)
                ))  # fmt: skip

    def search(self, text: str, lowered: str | None = _UNSET) -> re.Match[str] | None:
        return self.regex.search(text) if self.needles.may_match(text, lowered) else None

    def match(self, text: str, lowered: str | None = _UNSET) -> re.Match[str] | None:
        return self.regex.match(text) if self.needles.may_match(text, lowered) else None

    def finditer(self, text: str, lowered: str | None = _UNSET) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.needles.may_match(text, lowered) else iter(())

    def match_positions(self, text: str, lowered: str | None = _UNSET) -> list[int] | None:
        """Every position a match starts at (matches may overlap), found by trying the pattern only where a
        start word occurs: for long texts. None when the pattern has no start words or they are not trusted
        in this text. The first position is where search() would find its match."""
        if self.starts is None:
            return None
        if lowered is _UNSET and any(folded for _, folded in self.starts):
            lowered = lower_for_needles(text)
        if lowered is None or (lowered is not _UNSET and len(lowered) != len(text)):
            return None
        positions: set[int] = set()
        limit = max(_MAX_TRIES, len(text) // 64)  # beyond this many tries a plain scan is cheaper
        for word, folded in self.starts:
            haystack = lowered if folded else text
            found = haystack.find(word)
            while found != -1:
                positions.add(found)
                if len(positions) > limit:
                    return None
                found = haystack.find(word, found + 1)
        return [position for position in sorted(positions) if self.regex.match(text, position)]

    def search_long(self, text: str, lowered: str | None = _UNSET) -> re.Match[str] | None:
        """search() for long texts: the pattern is tried only where one of its start words occurs."""
        positions = self.match_positions(text, lowered)
        if positions is None:
            return self.search(text, lowered)
        return self.regex.match(text, positions[0]) if positions else None
