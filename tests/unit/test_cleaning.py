"""Text-level artefact removal and Dutch sentence splitting."""

from pathlib import Path

from services.ingest.domain.cleaning import clean
from services.ingest.domain.sentences import split_sentences

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"


def _letter(prefix: str) -> str:
    return next(LETTERS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_markdown_markup_is_removed_and_footnotes_move_out_of_the_body() -> None:
    raw = (
        "## **Kop**\n\nDe tekst met *nadruk* en een noot.<sup>1</sup> Verder\n\n---\n\n"
        "<sup>1</sup> Kamerstuk 33694 nr.45\n\ngaat de zin door.\n"
    )
    doc = clean(raw)
    assert doc.body == "Kop\n\nDe tekst met nadruk en een noot.[^1] Verder gaat de zin door."
    assert doc.footnotes == {"1": "Kamerstuk 33694 nr.45"}


def test_reference_style_footnotes_are_collected() -> None:
    doc = clean("Zie de brief.[^2]\n\n[^2]: Kamerstuk 21501-02, nr. 2405\n")
    assert doc.footnotes == {"2": "Kamerstuk 21501-02, nr. 2405"}
    assert "[^2]" in doc.body and "2405" not in doc.body


def test_line_break_hyphenation_is_undone_but_real_hyphens_stay() -> None:
    raw = (
        "informeren wij u over de aangekon-\ndigde conferentie en het AIV-\nadvies uit Noord-\nHolland "
        "over dual-\nuse goederen; dual-use komt vaker voor.\n"
    )
    body = clean(raw).body
    assert "aangekondigde conferentie" in body
    assert "AIV-advies" in body and "Noord-Holland" in body and "dual-use goederen" in body


def test_repeated_sidebar_lines_and_page_markers_are_removed() -> None:
    raw = (
        "Onze Referentie\nBZDOC-1-59\n\nEerste alinea van de brief.\n\n---\n\nOnze Referentie\n"
        "BZDOC-1-59\n\nTweede alinea van de brief.\n"
    )
    assert clean(raw).body == "Eerste alinea van de brief.\n\nTweede alinea van de brief."


def test_a_repeated_short_line_after_a_running_phrase_is_prose_not_furniture() -> None:
    # A resolution prints its date in the header and again after "..., on": the second one is text.
    raw = (
        "Distr.: General\n8 November 2002\n\nResolution 99 (2002)\n\n"
        "Adopted by the Council at its 4000th meeting, on\n8 November 2002\n\nThe Council decides.\n"
    )
    assert "meeting, on 8 November 2002" in clean(raw).body


def test_double_spaced_text_is_reflowed_into_paragraphs() -> None:
    doc = clean(_letter("002"))
    assert "\n\n\n" not in doc.body
    assert "Het kabinet deelt de zorgen van de Kamer over de potentiele veiligheidsrisico’s en dreigingen" in doc.body
    assert "Vraag 1" in doc.paragraphs  # headings stay their own paragraph


def test_bullets_become_paragraphs() -> None:
    raw = "Het volgende is gedaan:\n\n\uf0b7 Op 25 februari organiseerde NL een\nworkshop.\n• Nog een punt.\n"
    assert clean(raw).paragraphs == [
        "Het volgende is gedaan:",
        "Op 25 februari organiseerde NL een workshop.",
        "Nog een punt.",
    ]


def test_pdf_footnotes_are_moved_and_marked() -> None:
    doc = clean(_letter("003"))
    assert doc.footnotes["1"].startswith("Advies No. 97 AIV")
    assert "investeren.[^1] Hiermee wordt het advies uit 2015" in doc.body
    assert len(doc.footnotes) == 13
    # a line starting with a year is not a footnote
    assert "In de zomer van 2021 is daarnaast het wetsvoorstel" in doc.body


def test_page_break_inside_a_sentence_is_joined() -> None:
    body = clean(_letter("000")).body
    assert "die tot stand is gekomen naar aanleiding van het WRR-advies" in body
    assert "met conclusies en aanbevelingen, dat in november aangeboden zal worden" in body
    assert "militaire toepassingen van AI" in clean(_letter("001")).body


def test_sentence_splitting_survives_abbreviations_and_initials() -> None:
    text = (
        "Op 17 mei jl. heeft de commissie verzocht te informeren over de motie Koopmans c.s. (motie 33694 nr.43). "
        "Bijdragen komen van o.a. Prof. Sir Lawrence Freedman en H.E. Ms. Izumi Nakamitsu. "
        "De Minister van Buitenlandse Zaken, H.P.M. Knapen. Zie bijv. de brief, d.w.z. nr. 4 t.a.v. de AIV."
    )
    assert split_sentences(text) == [
        "Op 17 mei jl. heeft de commissie verzocht te informeren over de motie Koopmans c.s. (motie 33694 nr.43).",
        "Bijdragen komen van o.a. Prof. Sir Lawrence Freedman en H.E. Ms. Izumi Nakamitsu.",
        "De Minister van Buitenlandse Zaken, H.P.M. Knapen.",
        "Zie bijv. de brief, d.w.z. nr. 4 t.a.v. de AIV.",
    ]


def test_sentences_split_after_footnote_markers_and_questions() -> None:
    assert split_sentences("Het advies.[^1] Hiermee is het klaar. Welke stappen? Geen.") == [
        "Het advies.[^1]",
        "Hiermee is het klaar.",
        "Welke stappen?",
        "Geen.",
    ]


def test_repeated_lines_of_a_narrow_column_are_body_text() -> None:
    """Two-column PDF text repeats short lines ("autonome wapensystemen"); only furniture blocks go."""
    paragraph = (
        "Het kabinet neemt aanbeveling\n1 over en zal aandacht besteden\naan de inzet van gedeeltelijk\n"
        "autonome wapensystemen. Ook\nde juridische en\nethische aspecten van\nautonome wapensystemen\n"
        "blijven op de agenda.\n"
    )
    second = paragraph.replace("1 over", "2 over").replace("Ook", "Verder")
    raw = f"Onze Referentie\nBZDOC-1-59\n\n{paragraph}\n{second}\n---\n\nOnze Referentie\nBZDOC-1-59\n"
    doc = clean(raw)
    assert doc.paragraphs == [" ".join(paragraph.split()), " ".join(second.split())]


def test_repeated_sidebar_run_glued_into_the_text_is_removed() -> None:
    body = "De eerste zin van de brief loopt door\nop de volgende pagina waar hij eindigt."
    raw = f"{body}\nOnze Referentie\nBZDOC-1-59\nEen tweede zin staat hier.\nOnze Referentie\nBZDOC-1-59\n"
    assert "BZDOC" not in clean(raw).body


def test_hyphen_at_a_line_end_inside_a_compound_is_kept() -> None:
    raw = (
        "Het kunstmatige-intelligentiesysteem en de kunstmatige-\nintelligentietechnologie, ook door niet-\n"
        "statelijke actoren, in een defensie-\ninnovatie; de mens-machine-interactie en de mens-machine-\n"
        "interactie in EU- en\nVN-verband, met ruimte voor\nbeleids-\nof uitvoeringsorganisaties en "
        "een aangekon-\ndigde conferentie.\n"
    )
    body = clean(raw).body
    for kept in ("kunstmatige-intelligentietechnologie", "niet-statelijke", "defensie-innovatie",
                 "de mens-machine-interactie in", "EU- en VN-verband", "beleids- of uitvoering"):  # fmt: skip
        assert kept in body, kept
    assert "aangekondigde conferentie" in body


def test_a_heading_never_ends_in_a_function_word() -> None:
    body = "De tekst van de brief volgt hier, over regels van ruim zestig tekens breed,\n" * 8
    raw = f"Nr. 67 BRIEF VAN DE MINISTERS VAN\nBUITENLANDSE ZAKEN EN VAN\nDEFENSIE\nVraag 1\n\n{body}"
    assert clean(raw).paragraphs[:2] == [
        "Nr. 67 BRIEF VAN DE MINISTERS VAN BUITENLANDSE ZAKEN EN VAN DEFENSIE",
        "Vraag 1",
    ]


def test_a_numbered_line_inside_a_paragraph_is_no_footnote() -> None:
    raw = (
        "Een alinea.[^1]\n\n[^1]: Zie het advies.\n\nHet kabinet neemt de aanbeveling[^2] over. Ook aanbeveling\n"
        "2 neemt het over.\n\n[^2]: Zie ook.\n"
    )
    doc = clean(raw)
    assert doc.paragraphs[1] == "Het kabinet neemt de aanbeveling[^2] over. Ook aanbeveling 2 neemt het over."
    assert doc.footnotes == {"1": "Zie het advies.", "2": "Zie ook."}


def test_a_lower_case_line_after_a_short_footnote_resumes_the_body_stopped_mid_sentence() -> None:
    body = "Het kabinet heeft waardering voor de organisaties die bezig zijn de zorg voor\n"
    wrapped = "Bij hoogtechnologisch draagmoederschap wordt een embryo ingebracht in de baarmoeder van\n"
    doc = clean(
        "Eerste regel van de brief die lang genoeg is om als volle regel te tellen in de tekst.\n"
        + body
        + "\n[^4] Dashboard Monitor Digitale Zorg\nons allemaal te verbeteren. Daarna volgt meer tekst.\n"
    )
    assert "de zorg voor ons allemaal te verbeteren." in doc.body
    assert doc.footnotes["4"] == "Dashboard Monitor Digitale Zorg"
    doc = clean(body + "\n[^1] " + wrapped + "de draagmoeder. Zo gaat dat.\nVerder in de brief.\n")
    assert "van de draagmoeder. Zo gaat dat." in doc.footnotes["1"] and "draagmoeder" not in doc.body
