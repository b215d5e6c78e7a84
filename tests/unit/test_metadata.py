"""Document date, title, Kamerstuk number and kind, from the header only."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest.domain.cleaning import clean
from services.ingest.domain.document_dates import parse_day
from services.ingest.domain.metadata import read_document_info
from services.ingest.domain.model import DocumentInfo, Kamerstuk

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"


def _info(prefix: str) -> DocumentInfo:
    return read_document_info(clean(next(LETTERS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("prefix", "expected_date", "kind", "kamerstuk"),
    [
        ("000", date(2019, 9, 20), "letter", None),
        ("001", date(2021, 10, 11), "letter", Kamerstuk("33694", "63")),
        ("002", date(2021, 3, 22), "answers", None),
        ("003", None, "cabinet_response", None),  # no own date; body dates must not leak in
        ("004", date(2023, 1, 26), "letter", None),  # "Nr. 67" without a printed dossier
    ],
)
def test_seed_letters(prefix: str, expected_date: date | None, kind: str, kamerstuk: Kamerstuk | None) -> None:
    info = _info(prefix)
    assert (info.date, info.kind, info.kamerstuk) == (expected_date, kind, kamerstuk)


def test_titles() -> None:
    assert _info("000").title is not None and _info("000").title.startswith("Motie Koopmans c.s.")
    assert _info("001").title == "Internationale Veiligheidsstrategie"


def test_date_forms() -> None:
    for text, expected in [
        ("Datum 20 september 2019\n\nBetreft Iets\n\nGeachte voorzitter,\n\nTekst.", date(2019, 9, 20)),
        ("Aan de Voorzitter\n\nDen Haag, 11 oktober 2021\n\nTekst op 3 mei 2020.", date(2021, 10, 11)),
        ("Antwoord van minister Blok (ontvangen 22 maart 2021)\n\nVraag 1\n\nKunt u?", date(2021, 3, 22)),
    ]:
        assert read_document_info(clean(text)).date == expected


def test_body_date_is_not_the_document_date() -> None:
    text = "Geachte voorzitter,\n\nHet advies van 3 december 2021 is ontvangen.\n\nDen Haag, 4 januari 2022"
    assert read_document_info(clean(text)).date is None


def test_kind_other_and_dossier_with_suffix() -> None:
    info = read_document_info(clean("21 501-02\n\nRaad Buitenlandse Zaken\n\nNr. 2405\n\nVERSLAG VAN EEN OVERLEG"))
    assert info.kamerstuk == Kamerstuk("21501-02", "2405")
    assert info.kind == "other"


def _read(text: str) -> DocumentInfo:
    return read_document_info(clean(text))


QUESTIONS = (
    "Vragen van het lid Jansen (XYZ) aan de Minister van Financiën over het bericht dat de lunch duurder wordt en "
    "over wat dat betekent voor werknemers, werkgevers en de schatkist in het komende jaar, in het licht van de "
    "eerdere beantwoording en de brief van vorig jaar over hetzelfde onderwerp (ingezonden 29 mei 2024)."
)


def test_aanhangsel_date_is_the_answer_received_not_the_questions_submitted() -> None:
    text = (
        "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2023–2024 Aanhangsel van de Handelingen\n\n1984\n\n"
        f"{QUESTIONS}\n\nAntwoord van Staatssecretaris Pietersen (Financiën), mede namens de Minister van "
        "Sociale Zaken (ontvangen\n14 juni 2024)\n\nVraag 1\n\nKent u het bericht?\n\nAntwoord 1\n\nJa."
    )
    info = _read(text)
    assert (info.date, info.kind) == (date(2024, 6, 14), "answers")


def test_answer_heading_split_by_the_layout() -> None:
    text = (
        f"Vergaderjaar 2023–2024\n\n{QUESTIONS}\n\nAntwoord van Staatssecretaris Pietersen (Volksgezondheid\n\n"
        "Jeugd en Sport) (ontvangen 12 augustus 2024). Zie ook Aanhangsel Handelingen, nr. 2147.\n\nVraag 1\n\nJa?"
    )
    assert _read(text).date == date(2024, 8, 12)


def test_questions_without_an_answer_date_from_ingezonden() -> None:
    assert _read(f"Vergaderjaar 2023–2024\n\n{QUESTIONS}\n\nVraag 1\n\nKent u het bericht?").date == date(2024, 5, 29)


def test_motion_header() -> None:
    text = (
        "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2023–2024\n\n36 410 VIII Vaststelling van de "
        "begrotingsstaten van het Ministerie van Onderwijs\n\nNr. 82 MOTIE VAN HET LID DE BOER\n\n"
        "Voorgesteld 14 november 2023\n\nDe Kamer,\n\ngehoord de beraadslaging,\n\nverzoekt de regering, iets "
        "te doen,\n\nen gaat over tot de orde van de dag.\n\nDe Boer"
    )
    info = _read(text)
    assert (info.date, info.kind, info.kamerstuk) == (date(2023, 11, 14), "motion", Kamerstuk("36410-VIII", "82"))
    assert info.title == "Vaststelling van de begrotingsstaten van het Ministerie van Onderwijs"


def test_motion_by_its_formula_without_a_heading() -> None:
    text = "De Kamer,\n\ngehoord de beraadslaging,\n\nverzoekt de regering iets te doen,\n\n"
    text += "en gaat over tot de orde van de dag."
    assert _read(text).kind == "motion"


def test_letter_quoting_a_motion_is_a_letter() -> None:
    text = (
        "Datum 3 mei 2023\n\nBetreft Uitvoering motie\n\nGeachte voorzitter,\n\nDe motie luidt: De Kamer, gehoord "
        "de beraadslaging, verzoekt de regering iets te doen, en gaat over tot de orde van de dag."
    )
    assert _read(text).kind == "letter"


def test_fiche_by_its_fields() -> None:
    text = (
        "Fiche 3: Verordening over iets\n\n1. Algemene gegevens\n\na) Titel voorstel\n\nVoorstel voor een "
        "verordening over iets\n\nb) Datum ontvangst Commissiedocument\n\n12 oktober 2021\n\nc) Nr. "
        "Commissiedocument\n\nCOM(2021) 123\n\nf) Behandelingstraject Raad\n\nRaad Concurrentievermogen"
    )
    assert _read(text).kind == "fiche"
    assert _read(text.replace("Fiche 3: ", "")).kind == "fiche"


def test_letter_sending_fiches_is_a_letter() -> None:
    text = (
        "Datum 3 mei 2023\n\nGeachte voorzitter,\n\nHierbij ontvangt u twee fiches.\n\nFiche 1: Iets\n\n"
        "b) Datum ontvangst Commissiedocument 12 oktober 2021\n\nf) Behandelingstraject Raad Raad"
    )
    assert _read(text).kind == "letter"


def test_english_resolution_and_its_adoption_date() -> None:
    text = (
        "S/RES/2001 (2031)\n\nUnited Nations\n\nResolution 2001 (2031)\n\nAdopted by the Security Council at "
        "its 9000th meeting, on 3 March 2031\n\nThe Security Council,\n\nRecalling its resolutions,"
    )
    info = _read(text)
    assert (info.date, info.kind) == (date(2031, 3, 3), "resolution")
    assert _read(text.replace("on 3 March 2031", "on March 3, 2031")).date == date(2031, 3, 3)


@pytest.mark.parametrize(
    "header",
    [
        "Kenmerk 2023-000123 Datum 3 mei 2023 Betreft Iets",  # fields run together on one line
        "Datum: dinsdag 3 mei 2023",
        "Datum | 3 mei 2023",
        "Datum 03-05-2023",
        "Datum 3.5.2023",
        "Vastgesteld 3 mei 2023",  # a report's own date
        "Datum 0 3 MEI 2023",  # a stamp on the label's line
        "'s-Gravenhage, 3 mei 2023",
    ],
)
def test_letterhead_date_layouts(header: str) -> None:
    assert _read(f"Ons kenmerk 123\n\n{header}\n\nGeachte voorzitter,\n\nTekst van 1 april 2020.").date == date(
        2023, 5, 3
    )


def test_word_letterhead_table_read_after_the_text() -> None:
    text = (
        "In antwoord op uw brief van 9 november 2023 deel ik u mede dat de vragen worden beantwoord.\n\n"
        "Vraag 1\n\nKent u het bericht van 2 november 2023?\n\nAntwoord op vraag 1\n\nJa.\n\n"
        "Aan de Voorzitter van de Tweede Kamer | Aan de Voorzitter van de Tweede Kamer\n\n"
        "Datum | 4 december 2023\nOnderwerp | Beantwoording Kamervragen\n\n"
        "Bij beantwoording de datum en ons kenmerk vermelden."
    )
    info = _read(text)
    assert (info.date, info.kind) == (date(2023, 12, 4), "answers")


def test_prose_mentioning_aanhangsel_late_is_no_answer() -> None:
    text = "Datum 3 mei 2023\n\nGeachte voorzitter,\n\n" + "Tekst. " * 600 + "Zie Aanhangsel Handelingen, nr. 12."
    assert _read(text).kind == "letter"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "3 mei 2023"),  # label and value split over two lines
        ("3 mei 2023", ""),  # a stamp beside the label, read before it
        ("0 3 MEI 2023", ""),  # a stamp's letter-spaced digits
        ("2 2 APR. 2026", "Betreft Iets"),
    ],
)
def test_date_label_alone_with_its_value_beside_it(before: str, after: str) -> None:
    parts = ["Kenmerk 123", before, "Datum", after, "Geachte mevrouw Jansen,", "Tekst van 1 april 2020."]
    expected = date(2026, 4, 22) if before.startswith("2 2") else date(2023, 5, 3)
    assert _read("\n\n".join(p for p in parts if p)).date == expected


@pytest.mark.parametrize(
    "salutation", ["Geachte voorzitter,", "Geachte leden van de vaste commissie,", "Geachte dames en heren,"]
)
def test_letter_salutations(salutation: str) -> None:
    assert _read(f"Datum 3 mei 2023\n\n{salutation}\n\nHierbij informeer ik u.").kind == "letter"


def test_letter_citing_earlier_answers_in_its_first_lines_is_a_letter() -> None:
    text = (
        "Datum 3 mei 2023\n\nBetreft Voortgang\n\nGeachte voorzitter,\n\nZoals toegezegd in de beantwoording van "
        "de Kamervragen van het lid Jansen en in het antwoord op vragen van de commissie informeer ik u."
    )
    assert _read(text).kind == "letter"
    assert _read("Betreft Beantwoording Kamervragen over iets\n\nGeachte voorzitter,\n\nTekst.").kind == "answers"


def test_a_received_date_outside_an_answer_heading_is_not_the_date() -> None:
    text = (
        "Datum 3 mei 2023\n\nBetreft Petitie\n\nDe petitie van de vereniging (ontvangen 1 april 2023) vraagt "
        "om een reactie.\n\nGeachte voorzitter,\n\nTekst."
    )
    assert _read(text).date == date(2023, 5, 3)
    text = (
        "Mededeling van de Minister van Financiën (ontvangen 2 juni 2024)\n\nDe vragen kunnen niet binnen drie weken."
    )
    assert _read(text).date == date(2024, 6, 2)


def test_report_citing_a_letter_is_no_letter() -> None:
    text = (
        "Evaluatie van de regeling\n\nEindrapport\n\nSamenvatting\n\nIn de brief van de minister van 3 mei 2023 "
        "is de evaluatie aangekondigd. Dit rapport beschrijft de uitkomsten."
    )
    assert _read(text).kind == "other"
    assert _read("33 694\n\nNr. 63 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN\n\nTekst.").kind == "letter"


def test_kamerstuk_from_the_footer_id_when_the_header_has_none() -> None:
    text = (
        "MOTIE VAN HET LID DE BOER\n\nDe Kamer,\n\nen gaat over tot de orde van de dag.\n\nDe Boer\nkst-36410-VIII-82"
    )
    assert _read(text).kamerstuk == Kamerstuk("36410-VIII", "82")
    assert _read("Zie https://zoek.officielebekendmakingen.nl/kst-36410-VIII-82.html\n\nTekst.").kamerstuk is None


def test_letterhead_read_labels_first_then_values() -> None:
    text = "Ons kenmerk\n\nDatum\n\nBetreft\n\n2023-0000123\n\n3 mei 2023\n\nVoortgang\n\nGeachte voorzitter,\n\nTekst."
    assert _read(text).date == date(2023, 5, 3)
    # without a "Datum" label a date alone is no letter date (an annex's letter inside a resolution)
    assert _read(text.replace("Datum\n\n", "")).date is None


def test_answers_numbered_only_in_the_answer_headings() -> None:
    text = "Datum 3 mei 2023\n\nGeachte voorzitter,\n\n1. Kunt u iets doen?\n\nAntwoord op vraag 1\n\nJa."
    assert _read(text).kind == "answers"
    assert _read("Datum 3 mei 2023\n\nGeachte voorzitter,\n\nZie antwoord 3 in mijn vorige brief.").kind == "letter"
    cited = "Datum 3 mei 2023\n\nGeachte voorzitter,\n\nZoals gemeld (Aanhangsel Handelingen II, nr. 12) ga ik door."
    assert _read(cited).kind == "letter"
    assert _read("Vergaderjaar 2023–2024 Aanhangsel van de Handelingen\n\nVragen van het lid X.").kind == "answers"


def test_sidebar_date_read_after_the_first_paragraphs() -> None:
    prose = "Hierbij informeer ik uw Kamer over de voortgang van het programma en de volgende stappen. " * 4
    text = f"Geachte voorzitter,\n\n{prose}\n\nDirectie Beleid Postbus 20350 Datum 3 mei 2023 Kenmerk 123\n\n{prose}"
    assert _read(text).date == date(2023, 5, 3)
    assert _read(text.replace("Datum 3 mei", "datum 3 mei")).date is None  # prose: "de datum 3 mei ..."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 mei 2023", date(2023, 5, 3)),
        ("dinsdag 3 mei 2023", date(2023, 5, 3)),
        ("03-05-2023", date(2023, 5, 3)),
        ("3.5.2023", date(2023, 5, 3)),
        ("8 November 2002", date(2002, 11, 8)),
        ("November 8, 2002", date(2002, 11, 8)),
        ("31-02-2023", None),
        ("8 Brumaire 2002", None),
        ("2 2 APR. 2026", date(2026, 4, 22)),  # a date stamp
        ("May 8, 0002", None),
        ("08-05-0002", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


def test_dossier_on_the_session_year_line() -> None:
    text = (
        "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2023–2024 36 410 XVI Vaststelling van de begrotingsstaten\n\n"
        "Nr. 12 BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID\n\nAan de Voorzitter van de Tweede Kamer\n\n"
        "Den Haag, 3 mei 2024\n\nHierbij informeer ik u."
    )
    info = _read(text)
    assert (info.kamerstuk, info.title, info.date) == (
        Kamerstuk("36410-XVI", "12"),
        "Vaststelling van de begrotingsstaten",
        date(2024, 5, 3),
    )


def test_kamerstuk_letter_about_a_motion_is_a_letter() -> None:
    text = (
        "36 410 XVI Vaststelling van de begroting\n\nNr. 40 BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID\n\n"
        "Aan de Voorzitter van de Tweede Kamer\n\nDen Haag, 3 mei 2024\n\nUITVOERING MOTIE VAN HET LID BOS\n\nTekst."
    )
    assert _read(text).kind == "letter"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Datum",
                "Datum |",
                "3 mei 2023",
                "2 2 APR. 2026",
                "(ontvangen",
                "31 februari 2023)",
                "Vraag 1",
                "Antwoord van Minister X",
                "MOTIE VAN HET LID X",
                "Geachte voorzitter,",
                "Fiche 1:",
                "36 410 XVI",
                "Nr. 12",
                "kst-36410-XVI-12",
                "Adopted by the Council, on",
                "May 8, 2002",
                "\n\n",
                "\n",
                " | ",
            ]
        )
        | st.text(max_size=30),
        max_size=25,
    )
)
def test_any_header_text_reads_without_error(parts: list[str]) -> None:
    info = _read(" ".join(parts))
    assert info.kind in {"letter", "answers", "motion", "fiche", "resolution", "cabinet_response", "other"}
    assert info.date is None or 1900 < info.date.year < 2100
