"""Document date, title, Kamerstuk number and kind, from the header only."""

from datetime import date
from pathlib import Path

import pytest

from services.ingest.domain.cleaning import clean
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
