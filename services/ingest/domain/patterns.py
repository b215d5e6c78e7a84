"""Fast regexes: a first-character guard, read from the pattern text, lets a scan skip hopeless positions.

Python's regex engine tries every alternative of an alternation at every position of the text, and with
IGNORECASE it cannot even pre-check the first letter of each alternative. `compile_guarded` puts
`\\b(?=[...])` (or `(?=[...])`) in front of the pattern: the characters a match can start with. It only
rejects positions where the pattern cannot match, so matches, groups and positions are exactly those of
`re.compile(pattern, flags)`. When no guard can be derived (a pattern that can match the empty string or
starts with ".", a negated class, a backreference) or `regex_syntax` does not read the pattern, it is
compiled unchanged. `needles.py` adds the other shortcut: words a match cannot do without.
"""

from __future__ import annotations

import re
from typing import cast

from services.ingest.domain import regex_syntax

Items = list[tuple[str, object]]  # a parsed pattern: (opname, argument) pairs

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


class Underivable(Exception):
    """Nothing can be derived from this pattern (its first character is no character class, ...)."""


def parse(pattern: str, flags: int = 0) -> tuple[Items, bool] | None:
    """The parsed pattern and whether it is case-insensitive; None when `regex_syntax` does not read it."""
    parsed = regex_syntax.parse(pattern, flags)
    if parsed is None:
        return None
    items, all_flags = parsed
    return items, bool(all_flags & re.IGNORECASE)


def opname(code: object) -> str:
    """The name of an opcode or constant of a parsed item ("LITERAL", "AT_BOUNDARY")."""
    return str(code)


def sub_ignorecase(ignorecase: bool, add_flags: int, del_flags: int) -> bool:
    """The case mode inside a group with scoped flags ("(?i:...)", "(?-i:...)")."""
    return (ignorecase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE


def _class_items(op: object, av: object) -> list[str]:
    """Character-class source for one LITERAL / IN item; Underivable for anything else."""
    name = opname(op)
    if name == "LITERAL":
        return [re.escape(chr(av))]  # type: ignore[arg-type]
    if name == "RANGE":
        low, high = cast(tuple[int, int], av)
        return [f"{re.escape(chr(low))}-{re.escape(chr(high))}"]
    if name == "CATEGORY" and opname(av) in _CATEGORIES:
        return [_CATEGORIES[opname(av)]]
    if name == "IN":
        items: list[str] = []
        for item_op, item_av in av:  # type: ignore[attr-defined]
            items += _class_items(item_op, item_av)
        return items
    raise Underivable(name)


def _first(items: Items, ignorecase: bool, out: dict[bool, set[str]]) -> bool:
    """Add the characters a match of `items` can start with to out[ignorecase]; True if `items` can match
    the empty string (then what follows the sequence can start the match too)."""
    for op, av in items:
        name = opname(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: the next item starts the match
        if name in ("LITERAL", "IN"):
            out[ignorecase].update(_class_items(op, av))
            return False
        if name == "BRANCH":
            nullable = False
            for alternative in av[1]:  # type: ignore[index]
                nullable |= _first(list(alternative), ignorecase, out)
            if not nullable:
                return False
            continue
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = cast(regex_syntax.SubpatternArg, av)
            if not _first(list(sub), sub_ignorecase(ignorecase, add_flags, del_flags), out):
                return False
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = cast(regex_syntax.RepeatArg, av)
            if not _first(list(sub), ignorecase, out) and low > 0:
                return False
            continue
        if name == "ATOMIC_GROUP":
            if not _first(list(av), ignorecase, out):  # type: ignore[call-overload]
                return False
            continue
        raise Underivable(name)
    return True


def _starts_at_boundary(items: Items) -> bool:
    """Every match starts with \\b (possibly inside groups and every alternative)."""
    if not items:
        return False
    op, av = items[0]
    name = opname(op)
    if name == "AT":
        return opname(av) == "AT_BOUNDARY"
    if name == "BRANCH":
        return all(_starts_at_boundary(list(alternative)) for alternative in av[1])  # type: ignore[index]
    if name == "SUBPATTERN":
        return _starts_at_boundary(list(cast(regex_syntax.SubpatternArg, av)[3]))
    if name == "ATOMIC_GROUP":
        return _starts_at_boundary(list(cast(regex_syntax.Seq, av)))
    return False


def guard_for(pattern: str, flags: int = 0) -> str:
    """The guard compile_guarded puts in front of `pattern` ("" when none can be derived)."""
    parsed = regex_syntax.parse(pattern, flags)
    if parsed is None or parsed[1] != flags:  # global flags ("(?i)...") must stay first: no guard before them
        return ""
    items, ignorecase = parsed[0], bool(flags & re.IGNORECASE)
    first: dict[bool, set[str]] = {False: set(), True: set()}
    try:
        if _first(items, ignorecase, first):
            return ""  # can match the empty string: every position is a candidate
    except Underivable:
        return ""
    classes = []
    for case_insensitive in (ignorecase, not ignorecase):  # the pattern's own case mode first
        if first[case_insensitive]:
            chars = "".join(sorted(first[case_insensitive]))
            scoped = "" if case_insensitive == ignorecase else ("(?i:" if case_insensitive else "(?-i:")
            classes.append(f"{scoped}[{chars}]{')' if scoped else ''}")
    boundary = r"\b" if _starts_at_boundary(items) else ""
    return f"{boundary}(?={'|'.join(classes)})"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags) with a first-character guard: same matches, fewer positions tried."""
    guard = guard_for(pattern, flags)
    return re.compile(f"{guard}(?:{pattern})" if guard else pattern, flags)
