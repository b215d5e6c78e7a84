"""The one alias table of international forums -> canonical names."""

from __future__ import annotations

import re

from services.ingest.domain.needles import FastPattern

# Formations of the Council of the EU ("Milieuraad", "EPSCO-Raad", "Landbouw- en Visserijraad"): EU meetings, and
# never a Dutch advisory body (actors.py excludes them)
EU_COUNCIL_FORMATIONS = (
    r"(?i:(?:milieu|energie|transport|vervoers|telecom|landbouw|visserij|mededingings|concurrentievermogen|"
    r"begrotings)raad)",
    r"(?i:landbouw-\s+en\s+visserijraad)",
    r"(?i:raad\s+(?:buitenlandse|algemene)\s+zaken)",
    r"(?i:raad\s+voor\s+onderwijs,\s+jeugd,\s+cultuur\s+en\s+sport)",
    r"EPSCO",
    r"JBZ",
    r"OJCS",
    r"ECOFIN",
    r"(?i:ecofin)",
    r"(?i:europese\s+raad)",
    r"(?i:eurogroep)",
)
# canonical name -> aliases (regex fragments, matched case-sensitively for acronyms, else case-insensitively)
FORUM_ALIASES: dict[str, tuple[str, ...]] = {
    "GGE LAWS": (r"GGE\s+(?:on\s+)?LAWS", r"(?i:group\s+of\s+governmental\s+experts)", r"GGE"),
    "CCW": (r"CCW", r"(?i:conventionele?\s+wapenverdrag)", r"(?i:convention\s+on\s+certain\s+conventional\s+weapons)"),
    "REAIM": (r"REAIM", r"(?i:responsible\s+AI\s+in\s+the\s+military\s+domain)"),
    "NATO": (r"NAVO", r"NATO", r"(?i:noord-atlantische\s+verdragsorganisatie)"),
    "EU": (
        r"EU",
        r"(?i:europese\s+unie)",
        r"EDEO",
        r"EEAS",
        r"(?i:europese\s+dienst\s+voor\s+extern\s+optreden)",
        r"RBZ",
        *EU_COUNCIL_FORMATIONS,
    ),
    "OECD": (r"OESO", r"OECD"),
    "UN": (
        r"VN",
        r"UN",
        r"(?i:verenigde\s+naties)",
        r"(?i:united\s+nations)",
        r"(?i:algemene\s+vergadering)",
        r"(?i:wereldgezondheidsvergadering)",
        r"WHA",
    ),
    "Wassenaar": (r"(?i:wassenaar\s+arrangement)", r"(?i:wassenaar)"),
    "MTCR": (r"MTCR", r"(?i:missile\s+technology\s+control\s+regime)"),
    "ATT": (r"ATT", r"(?i:arms\s+trade\s+treaty)", r"(?i:wapenhandelsverdrag)"),
    "GCTF": (r"GCTF", r"(?i:global\s+counter-?terrorism\s+forum)"),
    "BWC": (
        r"BWC",
        r"BTWC",
        r"(?i:biological\s+(?:and\s+toxin\s+)?weapons\s+convention)",
        r"(?i:biologische\s+wapenverdrag)",
    ),
    "CWC": (r"CWC", r"(?i:chemische\s+wapenverdrag)", r"(?i:chemical\s+weapons\s+convention)"),
    "OPCW": (r"OPCW", r"OPCV"),
    "NPT": (r"NPV", r"NPT", r"(?i:non-proliferatieverdrag)"),
    "COP": (r"COP\s?\d{0,2}", r"(?i:klimaattop)"),
    "ICAO": (r"ICAO",),
    "OSCE": (r"OVSE", r"OSCE"),
    "Council of Europe": (r"(?i:raad\s+van\s+europa)",),
    "G7": (r"G7",),
    "G20": (r"G20",),
    "WTO": (r"WTO",),
    "IAEA": (r"IAEA", r"IAEO"),
    "UN Human Rights Council": (r"(?i:mensenrechtenraad)", r"HRC"),
}

_BOUNDED = r"(?<![\w-])(?:{alias})(?![\w])"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(_BOUNDED.format(alias=alias))) for name, aliases in FORUM_ALIASES.items() for alias in aliases
)
# Plain acronyms ("NAVO", "CCW") are looked up in a dict after one token scan; only the phrases go into an
# alternation. Both keep find_forums linear and cheap.
_ACRONYMS: dict[str, str] = {
    alias: name for name, aliases in FORUM_ALIASES.items() for alias in aliases if re.fullmatch(r"[A-Z0-9]+", alias)
}
_ALL_PHRASES: tuple[tuple[str, str], ...] = tuple(
    (name, alias) for name, aliases in FORUM_ALIASES.items() for alias in aliases if alias not in _ACRONYMS
)
# Phrases with "raad" ("Milieuraad", "Raad Buitenlandse Zaken") are tried only in texts that contain the word:
# each phrase that starts with another letter makes the scan try more positions of every text.
_PHRASES = tuple(p for p in _ALL_PHRASES if "raad" not in p[1].lower())
_RAAD_PHRASES = tuple(p for p in _ALL_PHRASES if "raad" in p[1].lower())
# "(?<![\w-])[A-Z]...", with the look-behind after the first letter (it then also looks at that letter, which
# is no hyphen): a pattern that starts with a letter class lets the engine skip to the next capital.
_TOKEN = re.compile(r"[A-Z](?<![\w-].)[A-Z0-9]{1,5}(?![\w])")
_PHRASE = FastPattern(
    r"(?<![\w-])(?:" + "|".join(f"(?P<f{i}>{alias})" for i, (_, alias) in enumerate(_PHRASES)) + r")(?![\w])"
)
_RAAD_PHRASE = FastPattern(
    r"(?<![\w-])(?:" + "|".join(f"(?P<f{i}>{alias})" for i, (_, alias) in enumerate(_RAAD_PHRASES)) + r")(?![\w])"
)


def forum_mentions(text: str) -> list[tuple[int, str]]:
    """(position, canonical name) of every forum mention, in text order."""
    mentions = [(m.start(), _ACRONYMS[m.group(0)]) for m in _TOKEN.finditer(text) if m.group(0) in _ACRONYMS]
    phrases = [(m.start(), _PHRASES[int(m.lastgroup[1:])][0]) for m in _PHRASE.finditer(text) if m.lastgroup]
    if "raad" in text or "Raad" in text or "RAAD" in text:
        phrases += [(m.start(), _RAAD_PHRASES[int(m.lastgroup[1:])][0])
                    for m in _RAAD_PHRASE.finditer(text) if m.lastgroup]  # fmt: skip
    taken = {position for position, _ in phrases}
    # a phrase wins over an acronym at the same place ("GGE LAWS" over "GGE")
    return sorted(phrases + [m for m in mentions if m[0] not in taken])


def find_forums(text: str) -> tuple[str, ...]:
    """Canonical names of the forums `text` names, in order of first mention, without duplicates."""
    return tuple(dict.fromkeys(name for _, name in forum_mentions(text)))


def canonical_forum(name: str) -> str | None:
    """ "NAVO" -> "NATO", "Conventionele Wapenverdrag" -> "CCW"; None for unknown names."""
    text = " ".join(name.split())
    for canonical, pattern in _PATTERNS:
        match = pattern.fullmatch(text) or (pattern.match(text) if canonical.lower() == text.lower() else None)
        if match:
            return canonical
    if text.upper() in {k.upper() for k in FORUM_ALIASES}:
        return next(k for k in FORUM_ALIASES if k.upper() == text.upper())
    return None
