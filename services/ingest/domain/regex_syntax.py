"""A small parser of regex source for `patterns.py` and `needles.py`: public means only, no `re` internals.

It reads the syntax our patterns use (literals, escapes, classes, groups with names and scoped flags,
lookarounds, alternation, repeats) into (opname, argument) items shaped like those of the parser behind `re`,
including its two rewrites of an alternation: a prefix all alternatives share is moved out of it, and an
alternation of single characters becomes one class. Anything else (verbose mode, conditionals, an unknown
escape) makes `parse` return None: then no shortcut is derived and the pattern is simply used as it is.
Nothing here decides what matches: the compiled pattern always comes from `re.compile`.
"""

from __future__ import annotations

import re
from typing import cast

MAXREPEAT = -1  # an unbounded repeat ("*", "+", "{2,}")
_FLAGS = {"a": re.ASCII, "i": re.IGNORECASE, "L": re.LOCALE, "m": re.MULTILINE, "s": re.DOTALL, "u": re.UNICODE,
          "x": re.VERBOSE}  # fmt: skip
_CATEGORIES = {"d": "CATEGORY_DIGIT", "D": "CATEGORY_NOT_DIGIT", "w": "CATEGORY_WORD", "W": "CATEGORY_NOT_WORD",
               "s": "CATEGORY_SPACE", "S": "CATEGORY_NOT_SPACE"}  # fmt: skip
_AT = {"A": "AT_BEGINNING_STRING", "Z": "AT_END_STRING", "b": "AT_BOUNDARY", "B": "AT_NON_BOUNDARY"}
_CONTROL = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}
_BOUNDS = re.compile(r"(\d*)(?:(,)(\d*))?\}")

Item = tuple[str, object]


class Unsupported(Exception):
    """Syntax this parser does not read (or invalid syntax)."""


class Seq(list):  # type: ignore[type-arg]
    """A parsed sequence of items. Compared by identity, as `re` compares its parsed groups: two alternatives
    only share a prefix item when it holds no group."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__  # type: ignore[assignment]


# the arguments of a SUBPATTERN item (group number, added flags, removed flags, items) and of a repeat
SubpatternArg = tuple[int | None, int, int, Seq]
RepeatArg = tuple[int, int, Seq]


def parse(pattern: str, flags: int = 0) -> tuple[Seq, int] | None:
    """The parsed pattern and its flags (the `flags` argument with global inline flags such as "(?i)");
    None for syntax this parser does not read."""
    if flags & re.VERBOSE:
        return None
    parser = _Parser(pattern, flags)
    try:
        items = parser.alternation()
        if parser.pos != len(pattern):
            raise Unsupported("unbalanced )")
    except Unsupported:
        return None
    return items, parser.flags


def _uniq(items: list[Item]) -> list[Item]:
    return list(dict.fromkeys(items))


class _Parser:
    def __init__(self, pattern: str, flags: int) -> None:
        self.text = pattern
        self.pos = 0
        self.flags = flags

    def _peek(self, ahead: int = 0) -> str:
        return self.text[self.pos + ahead : self.pos + ahead + 1]

    def _next(self) -> str:
        if self.pos >= len(self.text):
            raise Unsupported("unexpected end")
        char = self.text[self.pos]
        self.pos += 1
        return char

    def _take(self, prefix: str) -> bool:
        if self.text.startswith(prefix, self.pos):
            self.pos += len(prefix)
            return True
        return False

    def alternation(self) -> Seq:
        alternatives = [self.sequence()]
        while self._take("|"):
            alternatives.append(self.sequence())
        if len(alternatives) == 1:
            return alternatives[0]
        out = Seq()
        while all(alternatives) and all(a[0] == alternatives[0][0] for a in alternatives):  # a shared prefix
            out.append(alternatives[0][0])
            for alternative in alternatives:
                del alternative[0]
        chars: list[Item] = []
        for alternative in alternatives:
            if len(alternative) != 1:
                break
            op, av = alternative[0]
            if op == "LITERAL":
                chars.append((op, av))
            elif op == "IN" and av[0][0] != "NEGATE":
                chars.extend(av)
            else:
                break
        else:  # single characters only: one class
            out.append(("IN", _uniq(chars)))
            return out
        out.append(("BRANCH", (None, alternatives)))
        return out

    def sequence(self) -> Seq:
        items = Seq()
        while self.pos < len(self.text) and self._peek() not in "|)":
            char = self._next()
            if char in "*+?{":
                if char == "{" and not self._repeat_ahead():
                    items.append(("LITERAL", ord("{")))
                    continue
                if not items or items[-1][0] in ("AT", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                    raise Unsupported("nothing to repeat")
                items[-1] = self._repeat(char, items[-1])
            elif char == "(":
                item = self._group(start=self.pos - 1)
                if item is not None:
                    items.append(item)
            elif char == "[":
                items.append(self._class())
            elif char == ".":
                items.append(("ANY", None))
            elif char == "^":
                items.append(("AT", "AT_BEGINNING"))
            elif char == "$":
                items.append(("AT", "AT_END"))
            elif char == "\\":
                items.append(self._escape(in_class=False))
            else:
                items.append(("LITERAL", ord(char)))
        return items

    def _repeat_ahead(self) -> re.Match[str] | None:
        """The "{m,n}" bounds after a "{" ("{}" and "{x" are a literal "{", as in `re`)."""
        bounds = _BOUNDS.match(self.text, self.pos)
        return bounds if bounds and bounds[0] != "}" else None

    def _repeat(self, char: str, item: Item) -> Item:
        if char == "{":
            bounds = self._repeat_ahead()
            assert bounds is not None  # sequence() checked
            self.pos = bounds.end()
            low_text, comma, high_text = bounds.groups()
            high_text = high_text if comma else low_text
            low, high = int(low_text or 0), int(high_text) if high_text else MAXREPEAT
        else:
            low, high = {"*": (0, MAXREPEAT), "+": (1, MAXREPEAT), "?": (0, 1)}[char]
        kind = "MIN_REPEAT" if self._take("?") else "POSSESSIVE_REPEAT" if self._take("+") else "MAX_REPEAT"
        sub = Seq([item])
        if item[0] == "SUBPATTERN":
            group, add_flags, del_flags, inner = cast(SubpatternArg, item[1])
            if group is None and not add_flags and not del_flags:
                sub = inner
        return (kind, (low, high, sub))

    def _group(self, start: int) -> Item | None:
        """The item for the group opened at `start`; None for a comment or the global flags "(?i)"."""
        if not self._take("?"):
            return self._closed(("SUBPATTERN", (self._new_group(), 0, 0, self.alternation())))
        if self._take(":"):
            return self._closed(("SUBPATTERN", (None, 0, 0, self.alternation())))
        if self._take("P<"):
            end = self.text.find(">", self.pos)
            if end == -1 or not self.text[self.pos : end].isidentifier():
                raise Unsupported("bad group name")
            self.pos = end + 1
            return self._closed(("SUBPATTERN", (self._new_group(), 0, 0, self.alternation())))
        for prefix, kind, direction in (("=", "ASSERT", 1), ("!", "ASSERT_NOT", 1), ("<=", "ASSERT", -1),
                                        ("<!", "ASSERT_NOT", -1)):  # fmt: skip
            if self._take(prefix):
                return self._closed((kind, (direction, self.alternation())))
        if self._take(">"):
            return self._closed(("ATOMIC_GROUP", self.alternation()))
        if self._take("#"):
            end = self.text.find(")", self.pos)
            if end == -1:
                raise Unsupported("unterminated comment")
            self.pos = end + 1
            return None
        return self._flag_group(start)

    def _flag_group(self, start: int) -> Item | None:
        add = self._flag_letters()
        remove = self._flag_letters() if self._take("-") else 0
        if (add | remove) & re.VERBOSE or not add | remove:
            raise Unsupported("verbose mode, a conditional or an unknown group")
        if self._take(")"):
            if remove or start != 0:
                raise Unsupported("global flags not at the start")
            self.flags |= add
            return None
        if not self._take(":"):
            raise Unsupported("bad flag group")
        return self._closed(("SUBPATTERN", (None, add, remove, self.alternation())))

    def _flag_letters(self) -> int:
        flags = 0
        while self._peek() and self._peek() in _FLAGS:
            flags |= _FLAGS[self._next()]
        return flags

    def _new_group(self) -> int:
        self.groups = getattr(self, "groups", 0) + 1
        return self.groups

    def _closed(self, item: Item) -> Item:
        if not self._take(")"):
            raise Unsupported("missing )")
        return item

    def _class(self) -> Item:
        negate = self._take("^")
        members: list[Item] = []
        first = True
        while True:
            char = self._next()
            if char == "]" and not first:
                break
            first = False
            low = self._escape(in_class=True) if char == "\\" else ("LITERAL", ord(char))
            if self._peek() == "-" and self._peek(1) not in ("]", ""):
                self.pos += 1
                char = self._next()
                high = self._escape(in_class=True) if char == "\\" else ("LITERAL", ord(char))
                if low[0] != "LITERAL" or high[0] != "LITERAL" or low[1] > high[1]:  # type: ignore[operator]
                    raise Unsupported("bad range")
                members.append(("RANGE", (low[1], high[1])))
            else:
                members.append(low[1][0] if low[0] == "IN" else low)  # type: ignore[index]
        members = _uniq(members)
        if len(members) == 1 and members[0][0] == "LITERAL":
            return ("NOT_LITERAL", members[0][1]) if negate else members[0]
        return ("IN", [("NEGATE", None), *members] if negate else members)

    def _escape(self, *, in_class: bool) -> Item:
        char = self._next()
        if char in _CATEGORIES:
            return ("IN", [("CATEGORY", _CATEGORIES[char])])
        if char in _AT and not (in_class and char == "b"):
            if in_class:
                raise Unsupported("anchor in a class")
            return ("AT", _AT[char])
        if char in _CONTROL:
            return ("LITERAL", _CONTROL[char])
        if char in _HEX_LENGTH:
            digits = self.text[self.pos : self.pos + _HEX_LENGTH[char]]
            if len(digits) != _HEX_LENGTH[char] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise Unsupported("bad hex escape")
            self.pos += len(digits)
            return ("LITERAL", int(digits, 16))
        if char.isascii() and char.isalnum():
            raise Unsupported("backreference, octal or named escape")  # not in our patterns
        return ("LITERAL", ord(char))
