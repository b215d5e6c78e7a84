"""Text-level artefact removal: raw letter text (markdown, PDF text) -> reflowed paragraphs + footnotes.

Output shape: one paragraph per line, paragraphs separated by a blank line, footnote bodies moved to
`footnotes` with the marker kept in the body as "[^N]".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class CleanDocument:
    body: str
    footnotes: dict[str, str]

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


_CHAR_MAP = str.maketrans(
    {"\r": "", "\xa0": " ", "\t": " ", "\u00ad": "", "\u200b": "", "\ufeff": "", "\uf0b7": "•", "\uf0a7": "•",
     "\u2022": "•", "\u25aa": "•", "\u25cf": "•", "\ufb01": "fi", "\ufb02": "fl", "\u2028": "\n"}
)  # fmt: skip
_ODD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")
_PAGE_BREAK = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,}|={3,})\s*$|^\s*(?:pagina|page)\s+\d+\s+(?:van|of)\s+\d+\s*$", re.I)
_MD_FOOTNOTE = re.compile(r"^\s*(?:<sup>\s*(\d{1,3})\s*</sup>|\[\^(\d{1,3})\]:?)\s*(\S.*)$")
_SUP = re.compile(r"<sup>\s*([^<]{1,6}?)\s*</sup>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,80}>")
_MARKUP_CHARS = re.compile(r"[*_#<]")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_MD_BOLD = re.compile(r"\*\*|__")
_MD_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣o]\s+|[*\-–]\s+)")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-z][.)])\s+\S")
_PDF_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_TERMINAL = re.compile(r"[.?!:;]['\"”’»)\]]*(?:\[\^\d+\])?$")
_QA_HEADING = re.compile(r"^(?:vraag|antwoord|aanbeveling|bijlage|conclusie)\b", re.I)
_LABEL = re.compile(r"^(?:betreft|onderwerp|datum|kenmerk|titel)\b", re.I)
_HYPHEN_WORD = re.compile(r"\b\w++(?:-\w++)+\b")  # possessive: same words, no backtracking
# letters that would be read as one sound if a compound were written without its hyphen ("defensie-innovatie")
_VOWEL_CLASH = frozenset(["aa", "ee", "oo", "uu", "ei", "eu", "oe", "ou", "ui", "au", "ai", "oi"])
# "EU- en VN-verband", "beleids- of uitvoeringsorganisaties": a hyphen that stands for a left-out word part
_SUSPENDED = re.compile(r"(?:en|of|tot|noch|dan|and|or)\b")
# a line ending in one of these words stops mid-phrase: it cannot be a heading ("BRIEF VAN DE MINISTERS VAN")
_FUNCTION_WORDS = frozenset(
    ["de", "het", "een", "van", "en", "of", "in", "op", "voor", "met", "aan", "tot", "te", "bij", "over", "om",
     "door", "naar", "die", "dat", "der", "des", "als", "uit", "the", "and", "on", "at", "by"]
)  # fmt: skip


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def _starts_upper(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in '“‘"«(•')


def _strip_markdown(line: str) -> tuple[str, bool]:
    """Returns the line without markup and whether it was a markdown heading (its own paragraph)."""
    if not _MARKUP_CHARS.search(line):
        return line, False
    heading = bool(_MD_HEADING.match(line))
    line = _MD_HEADING.sub("", line)
    line = _MD_BOLD.sub("", line)
    line = _MD_EMPHASIS.sub(r"\1", line)
    line = _SUP.sub(lambda m: f"[^{m.group(1)}]" if m.group(1).isdigit() else m.group(1), line)
    line = _HTML_TAG.sub("", line)
    return line, heading


def _is_double_spaced(lines: list[str]) -> bool:
    """Every line followed by a blank line (seed 002): blank lines then often split a sentence."""
    gaps = mid_sentence = 0
    for i in range(1, len(lines) - 1):
        if lines[i].strip() or not lines[i - 1].strip() or not lines[i + 1].strip():
            continue
        gaps += 1
        prev, nxt = lines[i - 1].strip(), lines[i + 1].strip()
        if not _TERMINAL.search(prev) and _starts_lower(nxt):
            mid_sentence += 1
    return gaps >= 4 and mid_sentence / gaps >= 0.3


def _sidebar_lines(lines: list[str]) -> set[int]:
    """Indices of repeated page furniture: short lines that occur on several pages ("Onze Referentie",
    "BZDOC-...") where they stand apart from the prose. A repeated short line inside a paragraph is body
    text: in a narrow column "autonome wapensystemen" or "Het kabinet neemt aanbeveling" recur as lines.

    Furniture stands apart when its block (lines between blank lines or page breaks) has only short lines
    and no sentence end, or when the same run of two or more repeated lines recurs (a sidebar glued into the
    text of a page break)."""
    stripped = [line.strip() for line in lines]
    counts = Counter(line for line in stripped if line)
    repeated = [
        n >= 2 and len(line) <= 60 and not _TERMINAL.search(line) and not line.endswith(",")
        and not _QA_HEADING.match(line) and not _BULLET.match(line) and not line.startswith("[^")
        and not _PAGE_BREAK.match(line)
        for line, n in ((line, counts[line] if line else 0) for line in stripped)
    ]  # fmt: skip
    if not any(repeated):
        return set()
    found: set[int] = set()
    start = 0
    for end in [*range(len(lines)), len(lines)]:  # blocks [start, end)
        if end < len(lines) and stripped[end] and not _PAGE_BREAK.match(lines[end]):
            continue
        block = range(start, end)
        # a block whose other line runs on into the next ("... at its 4644th meeting, on") is prose
        if (
            any(repeated[i] for i in block)
            and all(repeated[i] or (len(stripped[i]) <= 60 and not _TERMINAL.search(stripped[i])) for i in block)
            and not any(_last_word(stripped[i]) in _FUNCTION_WORDS for i in block if not repeated[i])
        ):
            found.update(i for i in block if repeated[i])
        start = end + 1
    runs: list[range] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and repeated[j]:
            j += 1
        if j - i >= 2:
            runs.append(range(i, j))
        i = max(j, i + 1)
    # a run that continues a phrase is prose: "ethische aspecten van" / "autonome wapensystemen"
    runs = [
        run for run in runs
        if not any(_starts_lower(stripped[k]) and not stripped[k].startswith("www.") for k in run)
        and not any(_last_word(stripped[k]) in _FUNCTION_WORDS for k in run)
    ]  # fmt: skip
    run_counts = Counter(tuple(stripped[k] for k in run) for run in runs)
    for run in runs:
        if run_counts[tuple(stripped[k] for k in run)] >= 2:
            found.update(run)
    return found


@dataclass
class _Line:
    text: str
    hard: bool = False  # its own paragraph (markdown heading)
    indented: bool = False  # raw line started with whitespace (new page in PDF text)


def _collect_footnotes(lines: list[_Line]) -> tuple[list[_Line], dict[str, str]]:
    """Moves markdown and PDF-style footnote bodies out of the line list."""
    footnotes: dict[str, str] = {}
    kept: list[_Line] = []
    seen_text: list[str] = []
    current: str | None = None
    after_break = True  # a PDF footnote opens a block: "1 over en zal ..." inside a paragraph is body text
    width = _line_width(lines)
    for line in lines:
        text = line.text.strip()
        md = _MD_FOOTNOTE.match(text)
        pdf = _PDF_FOOTNOTE.match(text) if not line.indented and (after_break or current is not None) else None
        after_break = not text
        if md:
            current = md.group(1) or md.group(2)
            footnotes[current] = md.group(3).strip()
            continue
        if pdf and _is_pdf_footnote(pdf.group(1), footnotes, seen_text):
            current = pdf.group(1)
            footnotes[current] = pdf.group(2).strip()
            continue
        continues = current is not None and text and not line.indented and not line.hard
        if continues and current is not None and not _body_resumes(text, footnotes[current], seen_text, width):
            footnotes[current] = f"{footnotes[current]} {text}".strip()
            continue
        current = None
        kept.append(line)
        seen_text.append(text)
    return kept, footnotes


def _line_width(lines: list[_Line]) -> int:
    """The median length of the text's longer lines: how wide a full line is."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    return lengths[len(lengths) // 2] if lengths else 80


def _body_resumes(text: str, footnote: str, seen_text: list[str], width: int) -> bool:
    """A lower-case line after a short footnote ("[^4] Dashboard Monitor") continues the body when the body
    stopped mid-sentence (a page break): a footnote that wraps fills its line first."""
    last_body = next((t for t in reversed(seen_text) if t), "")
    return (
        text[:1].islower()
        and len(footnote) < 0.6 * width
        and last_body[-1:].isalpha()
        and not _TERMINAL.search(last_body)
    )


def _is_pdf_footnote(number: str, footnotes: dict[str, str], seen_text: list[str]) -> bool:
    """A line "N text" is a footnote body when N is the next footnote number and its marker appeared."""
    expected = max((int(k) for k in footnotes if k.isdigit()), default=0) + 1
    if int(number) != expected:
        return False
    # the number first, the look-behind after it: the engine then jumps to each occurrence of the number
    marker = re.compile(number + r"(?<=[a-zà-ÿ.,;:’”\"')\]]" + number + r")(?!\d)")
    recent = "\n".join(seen_text[-200:])
    return f"[^{number}]" in recent or marker.search(recent) is not None


def _mark_pdf_footnotes(body: str, footnotes: dict[str, str]) -> str:
    """Glued PDF markers ("investeren.1 Hiermee") -> "investeren.[^1] Hiermee" (first occurrence)."""
    for number in footnotes:
        if f"[^{number}]" in body:
            continue
        marker = re.compile(number + r"(?<=[a-zà-ÿ.,;:’”\"')\]]" + number + r")(?=[\s.,;:)]|$)")
        body = marker.sub(f"[^{number}]", body, count=1)
    return body


def _join(left: str, right: str, hyphenated: set[str]) -> str:
    """Joins two pieces of one paragraph, undoing end-of-line hyphenation.

    `hyphenated` holds the text's hyphenated words and their heads ("mens-machine-interactie", "mens",
    "mens-machine"): a line break after a known compound head keeps its hyphen."""
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if left.endswith("-") and _SUSPENDED.match(right):
        return f"{left} {right}"
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
        head = left.rsplit(" ", 1)[-1][:-1].lower()
        tail = re.match(r"\w+", right)
        candidate = f"{head}-{tail.group() if tail else ''}".lower()
        compound = (
            candidate in hyphenated or head in hyphenated or head.rsplit("-", 1)[-1] == "niet"
            or (head[-1:] + right[:1]).lower() in _VOWEL_CLASH
        )  # fmt: skip
        if left[-2].islower() and right[0].islower() and not compound:
            return left[:-1] + right
        return left + right  # real hyphen: "AIV-\nadvies", "Noord-\nHolland", "niet-\nstatelijke"
    return f"{left} {right}"


def _hyphenated_words(text: str) -> set[str]:
    """Hyphenated words written on one line, with their heads: "mens-machine-interactie" gives
    "mens-machine-interactie", "mens" and "mens-machine"."""
    words: set[str] = set()
    for word in _HYPHEN_WORD.findall(text):
        parts = word.lower().split("-")
        words.add("-".join(parts))
        words.update("-".join(parts[:i]) for i in range(1, len(parts)))
    return words


def _wrap_width(lines: list[_Line]) -> int:
    lengths = sorted(len(line.text.strip()) for line in lines if line.text.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def _reflow(lines: list[_Line], hyphenated: set[str], hard_breaks: bool) -> list[str]:
    width = _wrap_width(lines)
    paragraphs: list[str] = []
    current = ""
    prev: _Line | None = None
    for line in [*lines, _Line("")]:
        text = line.text.strip()
        if not text:
            if current:
                paragraphs.append(current)
            current, prev = "", None
            continue
        bullet = _BULLET.match(text)
        if bullet:
            text = text[bullet.end() :].strip()
        new_paragraph = (
            prev is None or line.hard or prev.hard or bool(bullet) or bool(_NUMBERED.match(text))
            or (hard_breaks and prev.text.endswith("  "))
            or _ends_paragraph(prev.text.strip(), text, width)
        )  # fmt: skip
        if new_paragraph and current:
            paragraphs.append(current)
            current = ""
        current = _join(current, text, hyphenated)
        prev = line
    return paragraphs


def _ends_paragraph(prev: str, nxt: str, width: int) -> bool:
    if prev.endswith("?") or (_QA_HEADING.match(nxt) and len(nxt) < 40):
        return True
    if not _starts_upper(nxt):
        return False
    short = len(prev) < 0.75 * width
    if _TERMINAL.search(prev):
        return short
    # a short line without end punctuation before a capital: a heading ("Vraag 1", "Mensenrechten"); not when
    # the line stops mid-phrase ("... MINISTERS VAN", "(ontvangen") or the next one adds a parenthesis to it
    return (
        len(prev) < 0.6 * width and not prev.endswith((",", "-", "–")) and width >= 40
        and _last_word(prev) not in _FUNCTION_WORDS and prev.count("(") <= prev.count(")")
        and not nxt.startswith("(")
    )  # fmt: skip


def _last_word(text: str) -> str:
    words = text.rsplit(None, 1)
    return words[-1].lower() if words else ""


def _merge_broken(paragraphs: list[str], hyphenated: set[str]) -> list[str]:
    """Paragraphs split by a page break or a footnote block mid-sentence are joined again."""
    merged: list[str] = []
    for paragraph in paragraphs:
        prev = merged[-1] if merged else ""
        # page break mid-sentence before a capitalised word: "Convention on" + "Certain Conventional ..."
        split_before_name = len(prev) > 80 and prev[-1:].islower() and len(paragraph) > 60
        mid_sentence = _starts_lower(paragraph) or (split_before_name and not _LABEL.match(prev))
        if prev and not _TERMINAL.search(prev) and mid_sentence:
            merged[-1] = _join(merged[-1], paragraph, hyphenated)
        else:
            merged.append(paragraph)
    return merged


def clean(raw: str) -> CleanDocument:
    text = _ODD_CHARS.sub(lambda m: _CHAR_MAP[ord(m.group(0))] or "", raw)  # rare, so cheaper than str.translate
    markdown = bool(re.search(r"\*\*|^#{1,6} |<sup>", text, re.M))
    raw_lines = text.split("\n")
    if _is_double_spaced(raw_lines):
        raw_lines = _collapse_double_spacing(raw_lines)
    unmarked = [_strip_markdown(line) for line in raw_lines]
    sidebar = _sidebar_lines([line for line, _ in unmarked])
    lines: list[_Line] = []
    for i, (raw_line, (stripped, heading)) in enumerate(zip(raw_lines, unmarked, strict=True)):
        if _PAGE_BREAK.match(raw_line):
            lines.append(_Line(""))
            continue
        if i in sidebar:
            continue
        lines.append(_Line(stripped.rstrip() + ("  " if raw_line.endswith("  ") else ""), heading,
                           raw_line[:1].isspace() and bool(stripped.strip())))  # fmt: skip
    lines, footnotes = _collect_footnotes(lines)
    hyphenated = _hyphenated_words(text)
    paragraphs = _merge_broken(_reflow(lines, hyphenated, markdown), hyphenated)
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    body = _mark_pdf_footnotes(body, footnotes)
    return CleanDocument(body=body, footnotes={k: " ".join(v.split()) for k, v in footnotes.items()})


def _collapse_double_spacing(lines: list[str]) -> list[str]:
    """Drops the single blank line after every line; two or more blank lines stay a paragraph break."""
    out: list[str] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        if blanks >= 2 and out:
            out.append("")
        blanks = 0
        out.append(line)
    return out
