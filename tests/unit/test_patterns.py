"""The regex shortcuts (guards, needles, start words, rewritten patterns) give exactly the plain regex results."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from services.ingest.domain import (
    actors,
    commitments,
    dates,
    deliverables,
    deliveries,
    forums,
    meetings,
    metadata,
    motions,
    reading,
    regex_syntax,
    sentences,
)
from services.ingest.domain import needles as needles_module
from services.ingest.domain.cleaning import clean
from services.ingest.domain.needles import FastPattern, Needles, lower_for_needles
from services.ingest.domain.patterns import compile_guarded, guard_for

ROOT = Path(__file__).resolve().parents[2]
LETTERS = sorted((ROOT / "samples" / "letters").glob("*.txt")) + sorted((ROOT / "tests" / "heldout").glob("**/*.txt"))
BODIES = [clean(path.read_text(encoding="utf-8")).body for path in LETTERS]
SENTENCES = [s.text for body in BODIES for s in sentences.sentences_of(body)]
# letters whose case folding is irregular ("ı", "ſ", "İ"), and the Kelvin sign that folds to "k"
ODD = ["", "ı", "ſ", "İ", "\u212a", "Σ"]


def _variants(text: str, rng: random.Random) -> list[str]:
    """The text, upper-cased, with random case flips, and with odd letters put in."""
    flipped = "".join(c.swapcase() if rng.random() < 0.3 else c for c in text)
    odd = "".join(rng.choice(ODD) if c in "isk" and rng.random() < 0.2 else c for c in text)
    return [text, text.upper(), flipped, odd, odd.upper()]


def _corpus() -> list[str]:
    rng = random.Random(7)
    texts = [v for s in SENTENCES[::4] for v in _variants(s, rng)]
    extra = [
        "Het Kabinet zal uiterlijk 1 januari 2024 een brief sturen.", "UITERLİJK İN 2025", "vóór de ZOMER",
        "zal ... wıl ... zullen", "ſ ı İ K", "", "   ", "Q3 2024", "in het jaar 2020 en in 2030",
    ]  # fmt: skip
    return texts + extra + BODIES


CORPUS = _corpus()


def _patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in (actors, commitments, dates, deliverables, deliveries, forums, meetings, metadata, motions,
                   reading, sentences):  # fmt: skip
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{name}"] = value
            elif isinstance(value, FastPattern):
                found[f"{module.__name__}.{name}"] = value.regex
    for index, (_, pattern, _, _) in enumerate(dates._RULES):
        found[f"dates.rule{index}"] = pattern
    return found


PATTERNS = _patterns()


def _source(pattern: re.Pattern[str]) -> str:
    """The pattern without the guard compile_guarded put in front."""
    guard = re.match(r"(?:\\b)?\(\?=(?:[^()]|\(\?[i-]+:\[[^\]]*\]\))*\)\(\?:", pattern.pattern)
    source = pattern.pattern[guard.end() : -1] if guard else pattern.pattern
    guarded = compile_guarded(source, pattern.flags)
    assert guarded.pattern == pattern.pattern or source == pattern.pattern  # stripped exactly the guard
    return source


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_guarded_pattern_finds_what_the_plain_pattern_finds(name: str) -> None:
    pattern = PATTERNS[name]
    plain = re.compile(_source(pattern), pattern.flags)
    guarded = compile_guarded(_source(pattern), pattern.flags)
    for text in CORPUS:
        assert _matches(guarded, text) == _matches(plain, text), text[:80]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_needles_never_rule_out_a_match(name: str) -> None:
    pattern = PATTERNS[name]
    needles = Needles(_source(pattern), pattern.flags)
    fast = FastPattern(_source(pattern), pattern.flags)
    for text in CORPUS:
        found = pattern.search(text)
        if found:
            assert needles.may_match(text), (needles.words, text[:80])
        lowered = lower_for_needles(text)
        assert needles.may_match(text, lowered) == needles.may_match(text)
        hit = fast.search(text, lowered)
        assert (hit.span() if hit else None) == (found.span() if found else None)
        long_hit = fast.search_long(text)
        assert (long_hit.span() if long_hit else None) == (found.span() if found else None)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_derived_guards_needles_and_start_words() -> None:
    assert guard_for(r"\b(?:zal|zullen|wil)\b") == r"\b(?=[wz])"
    assert guard_for(r"(?:in\s+)?(?:de|het)\s+zomer", re.IGNORECASE) == "(?=[dhi])"
    assert guard_for(r"\s*$") == ""  # can match the empty string: no guard
    assert guard_for(r"[^a]bc") == ""  # a negated class: no guard
    assert Needles(r"\buiterlijk\s+(?:in\s+)?(?P<yr>\d{4})", re.IGNORECASE).words == {("uiterlijk", True)}
    assert Needles(r"\bQ[1-4]\b").words is None  # too short to test
    assert Needles(r"zomer|zomerreces", re.IGNORECASE).folded_words == {"zomer"}  # "zomerreces" adds nothing
    assert Needles(r"(?i:raad)\s+van\s+State").words == {("State", False)}  # the longest word, in its own case
    assert FastPattern(r"^vraag\s+\d+|\bantwoord\b", re.I | re.M).starts == (("antwoord", True), ("vraag", True))
    assert FastPattern(r"\b(?:voornemen|voornemens)\b").starts == (("voornemen", False),)


def test_odd_letters_are_never_trusted_in_a_lowered_text() -> None:
    assert lower_for_needles("Het kabinet") == "het kabinet"
    for odd in ("ı", "ſ", "İ"):
        assert lower_for_needles(f"tekst {odd}") is None
    needles = Needles(r"\bbinnen\b", re.IGNORECASE)
    assert re.search(r"\bbinnen\b", "bİnnen", re.IGNORECASE) and needles.may_match("bİnnen")
    assert re.search(r"\bsnel\b", "ſnel", re.IGNORECASE) and Needles(r"\bsnel\b", re.IGNORECASE).may_match("ſnel")


def test_odd_letters_are_what_re_itself_folds_irregularly() -> None:
    assert set(needles_module._ODD_CHAR_LIST) == {"ı", "ſ", "İ"}
    assert needles_module._irregular("µ") and not needles_module._irregular("é")  # "µ" and "μ" match each other
    # the partners are looked up in the Basic Multilingual Plane: no letter beyond it folds onto one in it
    beyond = "".join(map(chr, range(0x10000, 0x110000)))
    assert re.findall("[\x00-\uffff]", beyond, re.IGNORECASE) == []


def test_our_parser_reads_the_syntax_of_our_patterns() -> None:
    items, flags = regex_syntax.parse(r"(?i)\b(?P<a>ab|ac)[^x]{2,}?", re.MULTILINE)
    assert flags == re.IGNORECASE | re.MULTILINE
    assert items[0] == ("AT", "AT_BOUNDARY")
    _group, _add, _del, group = items[1][1]
    assert group[0] == ("LITERAL", ord("a")) and group[1] == ("IN", [("LITERAL", ord("b")), ("LITERAL", ord("c"))])
    assert items[2][0] == "MIN_REPEAT" and items[2][1][:2] == (2, regex_syntax.MAXREPEAT)
    assert regex_syntax.parse(r"a{}b{,3}")[0][1] == ("LITERAL", ord("{"))  # "{}" is a literal, as in re
    assert regex_syntax.parse(r"a(?i)b") is None  # global flags must come first
    assert guard_for(r"(?i)ab") == "" and compile_guarded(r"(?i)ab").search("xAB")  # no guard before "(?i)"
    for unread in (r"(a)\1", r"(?x) a b", r"(a)?(?(1)b|c)", r"\N{EN DASH}"):
        assert regex_syntax.parse(unread) is None
        assert compile_guarded(unread).pattern == unread  # no shortcuts: the pattern is used as it is
    unread_by_us = [name for name, pattern in PATTERNS.items() if regex_syntax.parse(_source(pattern)) is None]
    assert unread_by_us == []  # every pattern of the extractor keeps its shortcuts


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    atoms = ["a", "ab", "kamer", r"\b", r"\s+", r"\d{2}", r"\w+", ".", "[a-k]", "[^x]", "[ab]", "[-a]", r"[\d.]", "é",
             "K", "ſ", "^", "$", r"\.", "x{2,3}", "y{,2}", "q{}", "µ"]  # fmt: skip
    parts = []
    for _ in range(rng.randint(1, 3)):
        if depth > 1 or rng.random() < 0.5:
            parts.append(rng.choice(atoms))
            continue
        opening = rng.choice(["(?:", "(", "(?=", "(?!", "(?<=", "(?i:", "(?-i:", "(?>"])
        body = "|".join(_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3)))
        parts.append(opening + body + ")" + rng.choice(["", "?", "{1,2}", "??", "{0,2}+"]))  # no nested "*": no blow-up
    return "".join(parts)


def test_shortcuts_of_random_patterns_keep_the_plain_results() -> None:
    rng = random.Random(11)
    alphabet = "abkKxyq .-éÉſsµμİıi0123{}"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(150)]
    texts += ["kamer ab", "KAMER", "xx yy", "ab12.", "ſ", "q{}"]
    for _ in range(300):
        source = "|".join(_random_pattern(rng) for _ in range(rng.randint(1, 2)))
        for flags in (0, re.IGNORECASE):
            try:
                plain = re.compile(source, flags)
            except re.error:
                continue
            fast = FastPattern(source, flags)
            for text in texts:
                assert _matches(fast.regex, text) == _matches(plain, text), (source, text)
                found = plain.search(text)
                hit = fast.search_long(text)
                assert (hit.span() if hit else None) == (found.span() if found else None), (source, text)


def test_time_cue_shortcut_is_the_time_cue_pattern() -> None:
    for text in CORPUS:
        assert dates._has_time_cue(text, lower_for_needles(text)) == bool(dates._TIME_CUE.search(text)), text[:80]


def test_coordination_shortcut_is_the_coordination_pattern() -> None:
    rng = random.Random(3)
    texts = ["en", "maar ", " of\n", "Het kabinet en", "often", "kaas-en", "_en", "x EN  ", "Of", "één en\n "]
    texts += [s[: rng.randrange(len(s) + 1)] for s in CORPUS[:2000] for _ in range(2)]
    for text in texts:
        assert reading._ends_coordinated(text) == bool(reading._COORDINATED.search(text)), repr(text[-30:])


@pytest.mark.parametrize(
    ("rewritten", "plain"),
    [
        (sentences._BOUNDARY, r"[.!?…]+['\"”’»)\]]*(?:\[\^\d+\])*(?=\s+[\"“‘'«]?[A-ZÀ-Ý0-9])"),
        (forums._TOKEN, r"(?<![\w-])[A-Z][A-Z0-9]{1,5}(?![\w])"),
        (deliverables._TOKEN, r"[\w’'-]+"),
        (deliverables._NOUN_PHRASE_BEFORE, r"(?:[\w’'-]+\s+){1,9}$"),
    ],
)
def test_rewritten_patterns_match_their_plain_form(rewritten: re.Pattern[str], plain: str) -> None:
    original = re.compile(plain)
    texts = CORPUS + [body[i : i + 150] for body in BODIES for i in range(0, len(body), 97)]
    for text in texts:
        assert [m.span() for m in rewritten.finditer(text)] == [m.span() for m in original.finditer(text)]
        found, expected = rewritten.search(text), original.search(text)
        assert (found.span() if found else None) == (expected.span() if expected else None)


def test_sentence_token_and_next_word_shortcuts() -> None:
    text = "Zie art. 3 van de wet.  Het  kabinet zal o.a. dit doen. " + " " * 80 + "Daarna volgt meer."
    for end in range(len(text) + 1):
        assert sentences._next_word(text, end) == text[end:].lstrip()[:20]
    token_before = re.compile(r"(\S+)$")
    for piece in [text[i:j] for i in range(0, len(text), 7) for j in range(i, len(text), 11)] + ["", " \n x"]:
        assert (piece + ".").rsplit(None, 1)[-1] == token_before.search(piece + ".").group(1)
