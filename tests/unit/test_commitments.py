"""Commitments and deliveries, from Dutch grammar cues."""

from datetime import date

import pytest

from services.ingest.domain.cleaning import clean
from services.ingest.domain.commitments import find_commitments
from services.ingest.domain.deliveries import find_deliveries
from services.ingest.domain.model import CommitmentStatement, DocumentInfo
from services.ingest.domain.topics import stem, topic_words

LETTER = DocumentInfo(date=date(2021, 3, 22), title=None, kind="letter", kamerstuk=None)
SIGNED = "\n\nDe Minister van Buitenlandse Zaken,\n\nA. Naam\n"


def _commitments(text: str, info: DocumentInfo = LETTER) -> tuple[CommitmentStatement, ...]:
    return find_commitments(clean(text), info)


@pytest.mark.parametrize(
    ("sentence", "actor", "deliverable"),
    [
        ("Het kabinet zal uw Kamer voor de zomer een beleidskader sturen over drones.", "kabinet", "brief"),
        ("Het Kabinet is voornemens in 2021 een internationale conferentie te organiseren.", "kabinet", "conferentie"),
        ("In het tweede kwartaal zal de AIV/CAVV commissie een nieuw advies publiceren.", "AIV/CAVV", "advies"),
        ("Nederland gaat nog sterker pleiten voor standaardisatie binnen het bondgenootschap.", "Nederland", None),
        ("De komende maanden zullen expertbijeenkomsten worden georganiseerd over AI.", "kabinet", "bijeenkomst"),
        ("Over de conferentie wordt uw Kamer separaat geïnformeerd.", "kabinet", "brief"),
    ],
)
def test_future_intention_and_announcements(sentence: str, actor: str, deliverable: str | None) -> None:
    (found,) = _commitments(sentence)
    assert (found.actor, found.deliverable) == (actor, deliverable)


def test_ik_is_the_signing_minister_and_no_date_means_open() -> None:
    (found,) = _commitments("Ik zal uw Kamer blijven informeren over de voortgang." + SIGNED)
    assert found.actor == "minister van Buitenlandse Zaken"
    assert found.due is None and found.deliverable == "brief"


def test_due_comes_from_the_time_table() -> None:
    (found,) = _commitments(
        "In het tweede kwartaal van dit jaar zal de AIV/CAVV commissie een nieuw advies publiceren."
    )
    assert found.due is not None
    assert (found.due.start, found.due.end, found.due.precision) == (date(2021, 4, 1), date(2021, 6, 30), "quarter")


def test_commitment_fulfilled_by_this_letter() -> None:
    text = "Zoals toegezegd tijdens het Commissiedebat op 8 juli jl., informeer ik uw Kamer over de volgende stappen."
    (found,) = _commitments(text)
    assert found.fulfilled_here and found.due is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Welke concrete initiatieven zullen dit jaar worden ondernomen?",  # a question
        "Op 25 februari 2021 organiseerde Nederland samen met Duitsland een workshop.",  # past event
        "Het kabinet is van mening dat het bestaande internationaal recht volstaat.",  # position
        "AI zal daarmee de toekomst van conflicten veranderen.",  # prediction, third party
        "De GGE bereikte een rapport, dat in november aangeboden zal worden aan de verdragspartijen.",
        "De uitkomst en de vervolgstappen zullen naar verwachting begin 2022 gereed zijn.",
        "In de voorliggende reactie zal het kabinet de aanbevelingen appreciëren.",  # about this letter
        "De vragen van het lid worden beantwoord zoals aangegeven in de bijlage van deze brief.",  # this letter
        "Het kabinet wil een leidende rol spelen bij het versterken van het normatief kader.",  # ambition
        "Ook zal Defensie het personeelsbeleid moeten ontwikkelen.",  # necessity
        "Nederland zal in 2040 klimaatneutraal zijn.",  # a policy target
        "De Commissie stelt voor dat lidstaten uiterlijk in 2025 een plan indienen en Nederland zal dit bezien.",
    ],
)
def test_not_commitments(sentence: str) -> None:
    assert _commitments(sentence) == ()


def test_question_blocks_of_an_answers_document_are_skipped() -> None:
    text = (
        "Vraag 1\n\nKunt u toezeggen dat het kabinet een conferentie zal organiseren?\n\n"
        "Antwoord\n\nHet kabinet zal in 2021 een conferentie organiseren."
    )
    (found,) = _commitments(text)
    assert found.text.startswith("Het kabinet zal in 2021")


def test_demonstrative_resolves_deliverable_and_author_from_the_previous_sentence() -> None:
    text = (
        "Het beleid berust op het advies van de Adviesraad Internationale Vraagstukken (AIV) en de CAVV. "
        "Zoals aangekondigd zal dit advies in de tweede helft van het jaar 2020 worden geactualiseerd."
    )
    (found,) = _commitments(text, DocumentInfo(date(2019, 9, 20), None, "letter", None))
    assert (found.actor, found.deliverable) == ("AIV/CAVV", "advies")
    assert found.due is not None and (found.due.start, found.due.end) == (date(2020, 7, 1), date(2020, 12, 31))
    assert {"aiv", "cavv", stem("advies")} <= found.topic


def test_alias_and_event_date_carry_over() -> None:
    text = (
        "Wij informeren u over de aangekondigde conferentie over Responsible AI (hierna: REAIM Summit). "
        "Met de REAIM Summit, op 15 en 16 februari in Den Haag, wil het kabinet de risico's van AI adresseren. "
        "Met de uitwerking van de REAIM Summit wil het kabinet een internationale eindverklaring overeenkomen."
    )
    summit, declaration = _commitments(text, DocumentInfo(date(2023, 1, 26), None, "letter", None))
    assert summit.deliverable == "conferentie"
    assert summit.due is not None and (summit.due.start, summit.due.end) == (date(2023, 2, 15), date(2023, 2, 16))
    assert {"responsibl", "reaim"} <= summit.topic
    assert declaration.deliverable == "verklaring" and declaration.due == summit.due


def test_deliveries() -> None:
    doc = clean(
        "Namens het kabinet danken de ministers de commissie van de AIV en de CAVV voor hun advies over wapens. "
        "Hiermee wordt het advies uit 2015 geactualiseerd.[^1]\n\n"
        "[^1]: AIV-advies 119, CAVV-advies 38 van 3 december 2021 – Autonome wapensystemen."
    )
    deliveries = {(d.actor, d.deliverable, d.on) for d in find_deliveries(doc, LETTER)}
    assert deliveries == {("AIV/CAVV", "advies", None), ("AIV/CAVV", "advies", date(2021, 12, 3))}


def test_topic_words_are_stemmed_content_words() -> None:
    assert stem("technologieën") == stem("technologie")
    assert stem("internationale") == stem("internationaal")
    words = topic_words("Het kabinet zal een conferentie over nieuwe technologieën en AI organiseren.")
    assert {"conferenti", "technologi", "AI".lower()} <= words
    assert "het" not in words and "kabinet" not in words


def test_the_commitments_module_still_offers_what_other_modules_import() -> None:
    from services.ingest.domain import commitments, deliveries, topics
    from services.ingest.domain.actors import is_government

    assert commitments.find_deliveries is deliveries.find_deliveries
    assert (commitments.stem, commitments.topic_words) == (topics.stem, topics.topic_words)
    assert commitments.is_government is is_government
