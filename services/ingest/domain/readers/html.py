"""Reading the HTML of an official publication: content blocks in order, footnotes as [^N], no chrome."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from services.ingest.domain.readers.text import UnreadableDocument, _decode_error, _normalise

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

# HTML (officielebekendmakingen.nl pages and the like)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# WHATWG: browsers decode these labels as windows-1252, so the page's author saw windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}

_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "embed",
        "canvas",
        "nav",
        "form",
        "button",
        "select",
        "input",
        "textarea",
        "menu",
        "aside",
        "dialog",
        "head",
        "title",
        "meta",
        "link",
    }
)
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "menu"})
_CHROME_TOKENS = frozenset(
    {
        "skiplink",
        "skiplinks",
        "skip-link",
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "mainmenu",
        "nav",
        "navbar",
        "navigation",
        "cookie",
        "cookiebar",
        "cookie-banner",
        "cookies",
        "share",
        "social",
        "sr-only",
        "visually-hidden",
        "note-close",
        "footnote-back",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "pre",
        "address",
        "figure",
        "figcaption",
        "hr",
        "body",
    }
)
_NOTE_TOKENS = frozenset({"noot", "voetnoot", "footnote", "note", "fn"})
_MARKER_TEXT = re.compile(r"^\s*\[?(\d{1,3})\]?\s*$")
_BR = "\x00"  # stands for <br> while whitespace is collapsed; NUL cannot occur in accepted HTML
_LABELLED = re.compile(r"^\s*(\d+|[a-zA-Z]|[ivxIVX]+)[.)]\s")


def _decode_html(name: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # declared by its byte order mark, not guessed
    if b"\x00" in data:
        raise UnreadableDocument(name, "binary content, not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_error = e
    m = _META_CHARSET.search(data[:8192]) or _XML_ENCODING.match(data)
    if not m:
        raise UnreadableDocument(name, _decode_error(utf8_error) + ", and no charset declared")
    label = m.group(1).decode("ascii").lower()
    codec = _CHARSET_ALIASES.get(label, label)
    try:
        codecs.lookup(codec)
    except LookupError:
        raise UnreadableDocument(name, f"unknown declared charset '{label}'") from None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        bad = f"invalid byte 0x{e.object[e.start : e.start + 1].hex()} at offset {e.start}"
        raise UnreadableDocument(name, f"not UTF-8 text, nor the declared charset '{label}': {bad}") from None


def _read_html(name: str, data: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode_html(name, data))
    notes = _html_footnotes(tree)
    root = next(
        (n for sel in ("#broodtekst", "main", "[role=main]", "article") if (n := tree.css_first(sel))),
        tree.body,
    )
    if root is None:
        raise UnreadableDocument(name, "no text content in HTML")
    _drop_chrome(root)
    blocks = _html_blocks(root)
    notes_block = "\n".join(f"[^{n}]: {text}" for n, text in notes if text)
    blocks += [notes_block] if notes_block else []
    text = _normalise("\n\n".join(blocks))
    if not text.strip():
        raise UnreadableDocument(name, "no text content in HTML")
    return text + "\n"


def _tokens(node: LexborNode) -> set[str]:
    attrs = node.attributes
    return set((attrs.get("class") or "").lower().split()) | {(attrs.get("id") or "").lower()}


def _note_container(target: LexborNode, stop: LexborNode | None) -> LexborNode:
    """The element holding one footnote: the target itself or its nearest list item / "noot" ancestor."""
    node: LexborNode | None = target
    while node is not None and node is not stop:
        if node.tag == "li" or _tokens(node) & _NOTE_TOKENS:
            return node
        node = node.parent
    return target


def _html_footnotes(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Replace footnote markers with "[^N]" and cut the notes out of the page, returning (N, text).

    Markers are links to "#id" with a number as text, in a <sup> or with a note-reference class; the note is
    the element with that id, widened to its list item or "noot"/"footnote" container. All nodes are
    looked at before any is changed: lexbor frees removed subtrees.
    """
    markers: list[tuple[LexborNode, str, str]] = []
    for link in tree.css('a[href^="#"]'):
        m = _MARKER_TEXT.match(link.text() or "")
        target_id = (link.attributes.get("href") or "")[1:]
        parent = link.parent
        in_sup = parent is not None and parent.tag == "sup"
        if m and target_id and (in_sup or _tokens(link) & {"nootnum", "footnote-ref", "noteref"}):
            alone = parent is not None and in_sup and parent.text().strip() == link.text().strip()
            markers.append((parent if parent is not None and alone else link, m.group(1), target_id))
    containers: dict[str, tuple[LexborNode, str]] = {}
    for _, number, target_id in markers:
        if target_id in containers:
            continue
        target = tree.css_first(f'[id="{target_id}"]') or tree.css_first(f'[name="{target_id}"]')
        container = _note_container(target, tree.body) if target is not None else None
        if container is not None and container.tag not in ("body", "html", "main", "article"):
            containers[target_id] = (container, number)
    inside = {c.mem_id for c, _ in containers.values()}
    for marker, number, _ in markers:
        if not _has_ancestor(marker, inside):  # a note's own number or back-link is not a marker
            marker.replace_with(f"[^{number}]")
    notes: list[tuple[str, str]] = []
    for container, number in containers.values():
        for junk in container.css('.note-close, .footnote-back, [role="doc-backlink"], a[href^="#fnref"]'):
            junk.decompose()
        text = " ".join(container.text(separator=" ").split())
        notes.append((number, re.sub(rf"^\[?{number}\]?[.)]?\s+", "", text)))  # its own number
        container.decompose()
    # plain <sup>N</sup> without a link: a marker in the text, or a note's number at the start of its line
    for sup in tree.css("sup"):
        m = _MARKER_TEXT.match(sup.text() or "")
        if m:
            sup.replace_with(f"[^{m.group(1)}]")
    return notes


def _has_ancestor(node: LexborNode | None, ids: set[int]) -> bool:
    while node is not None:
        if node.mem_id in ids:
            return True
        node = node.parent
    return False


def _drop_chrome(root: LexborNode) -> None:
    """Remove scripts, menus, banners and hidden elements; decided top-down, removed afterwards."""
    doomed: list[LexborNode] = []
    stack = [(root, False)]  # node, inside main/article
    while stack:
        node, in_content = stack.pop()
        tag = node.tag
        attrs = node.attributes
        hidden = "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", "")
        chrome = hidden or (attrs.get("role") or "") in _CHROME_ROLES or bool(_tokens(node) & _CHROME_TOKENS)
        # a page's <header>/<footer> is chrome; inside the document (<main>, <article>) it is content
        if node is not root and (tag in _SKIP_TAGS or chrome or (tag in ("header", "footer") and not in_content)):
            doomed.append(node)
            continue
        inner = in_content or tag in ("main", "article")
        stack += [(c, inner) for c in node.iter()]
    for node in doomed:
        node.decompose()


def _html_blocks(root: LexborNode) -> list[str]:
    """Text of block elements, one block per paragraph; inline whitespace collapsed, <br> kept."""
    blocks: list[str] = []
    buf: list[str] = []
    labels = _list_labels(root)

    def flush() -> None:
        lines = [" ".join(part.split()) for part in "".join(buf).split(_BR)]
        text = "\n".join(line for line in lines if line)
        text = re.sub(r"\s+(\[\^\d+\])", r"\1", text)
        if text:
            m = re.match(r"^\[\^(\d+)\]\s*(\S.*)", text, re.DOTALL)  # "<sup>1</sup> Kamerstuk ..." note
            blocks.append(f"[^{m.group(1)}]: {m.group(2)}" if m and " " in text[: m.end(1) + 3] else text)
        buf.clear()

    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if node.is_text_node:
            buf.append(node.text_content or "")
            continue
        tag = node.tag
        if tag == "br":
            buf.append(_BR)
            continue
        if tag not in _BLOCK_TAGS:
            if not leaving:
                stack += [(c, False) for c in reversed(list(node.iter(include_text=True)))]
            continue
        flush()
        if leaving:
            continue
        if tag == "li":
            buf.append(labels.get(node.mem_id, ""))
        stack.append((node, True))
        stack += [(c, False) for c in reversed(list(node.iter(include_text=True)))]
    flush()
    return blocks


def _list_labels(root: LexborNode) -> dict[int, str]:
    """Labels for list items: "- " in <ul>, "N. " in <ol> (from start=), unless the item has its own."""
    labels: dict[int, str] = {}
    for lst in root.css("ol, ul"):
        start = lst.attributes.get("start") or "1"
        number = int(start) if start.isdigit() else 1
        for li in lst.iter():
            if li.tag != "li":
                continue
            if not _LABELLED.match(li.text() or ""):
                labels[li.mem_id] = f"{number}. " if lst.tag == "ol" else "- "
            number += 1
    return labels
