"""General rules of Dutch letters to parliament, each with made-up example sentences: the present tense used
for the future, fulfilled promises, advisory bodies, relative deadlines, EU Council formations, signatures and
letterheads."""

from datetime import date

import pytest

from services.ingest.domain.actors import find_actors, signing_minister
from services.ingest.domain.cleaning import clean
from services.ingest.domain.commitments import find_commitments
from services.ingest.domain.dates import parse_due
from services.ingest.domain.forums import find_forums
from services.ingest.domain.meetings import find_meetings
from services.ingest.domain.metadata import read_document_info
from services.ingest.domain.model import CommitmentStatement, DocumentInfo

DAY = date(2023, 9, 12)
LETTER = DocumentInfo(date=DAY, title=None, kind="letter", kamerstuk=None)
UNDATED = DocumentInfo(date=None, title=None, kind="letter", kamerstuk=None)
SIGNED = "\n\nDe Minister van Landbouw, Natuur en Voedselkwaliteit,\n\nB. Voorbeeld\n"


def _commitments(text: str, info: DocumentInfo = LETTER) -> tuple[CommitmentStatement, ...]:
    return find_commitments(clean(text), info)


@pytest.mark.parametrize(
    ("sentence", "actor", "end"),
    [
        ("Na de zomer stuur ik uw Kamer de evaluatie van de mestregels.", "minister", date(2023, 11, 30)),
        ("Begin volgend jaar informeer ik uw Kamer over de uitkomst van de pilot.", "minister", date(2024, 3, 31)),
        ("Eind dit jaar publiceer ik de nieuwe kaart met stikstofgevoelige gebieden.", "minister", date(2023, 12, 31)),
        ("Op korte termijn start ik een verkenning naar de opkoopregeling.", "minister", date(2023, 12, 12)),
        ("Daarnaast laat ik de komende maanden onderzoeken of de regeling werkt.", "minister", date(2024, 3, 12)),
        ("Over de motie stuur ik uw Kamer binnen twee weken een aparte brief.", "minister", date(2023, 9, 26)),
        ("Voor 1 december sturen wij uw Kamer het actieplan voor de visserij.", "kabinet", date(2023, 11, 30)),
        ("Het kabinet stuurt uw Kamer in het voorjaar van 2024 de nieuwe visie.", "kabinet", date(2024, 5, 31)),
        ("In het najaar ontvangt uw Kamer het eerste rapport van de monitor.", "kabinet", date(2023, 11, 30)),
        ("Uw Kamer ontvangt voor het kerstreces het overzicht van de regelingen.", "kabinet", None),
        ("Het verslag wordt uw Kamer binnen vier weken toegezonden.", "kabinet", date(2023, 10, 10)),
    ],
)
def test_present_tense_with_a_forward_time_phrase_is_a_promise(sentence: str, actor: str, end: date | None) -> None:
    found = _commitments(sentence + SIGNED)
    assert len(found) == 1
    expected_actor = "minister van Landbouw, Natuur en Voedselkwaliteit" if actor == "minister" else actor
    assert found[0].actor == expected_actor
    if end is not None:
        assert found[0].due is not None and found[0].due.end == end


@pytest.mark.parametrize(
    "sentence",
    [
        "Ik stuur uw Kamer de evaluatie van de mestregels.",  # no time phrase: a description
        "In 2021 stuurde ik uw Kamer de evaluatie van de mestregels.",  # past
        "Het kabinet werkt de komende jaren aan een betere regeling.",  # ongoing work, no sending act
        "De provincies sturen voor de zomer hun plannen naar het ministerie.",  # a third party
        "Ik stuur uw Kamer de evaluatie die in 2021 is verschenen.",  # a date of the past
    ],
)
def test_present_tense_without_a_forward_time_phrase_or_government_subject_is_not(sentence: str) -> None:
    assert _commitments(sentence + SIGNED) == ()


def test_undated_letter_keeps_relative_phrases_unresolved() -> None:
    (found,) = _commitments("In het voorjaar ontvangt uw Kamer de tweede monitor.", UNDATED)
    assert found.actor == "kabinet" and found.due is None
    (dated,) = _commitments("Medio 2025 stuur ik uw Kamer de resultaten." + SIGNED, UNDATED)
    assert dated.due is not None and dated.due.precision == "part_of_year"


@pytest.mark.parametrize(
    "sentence",
    [
        "Zoals toegezegd tijdens het commissiedebat Visserij van 4 juli 2023 informeer ik uw Kamer met deze brief "
        "over de stand van zaken.",
        "Zoals toegezegd in het commissiedebat Mest van 5 juli jl. stuur ik uw Kamer hierbij de evaluatie, die op "
        "20 oktober a.s. in de Landbouwraad wordt besproken.",
        "Zoals toegezegd tijdens het debat over de begroting ga ik in deze brief ook in op de motie over de visserij.",
    ],
)
def test_promise_fulfilled_by_this_letter_has_no_due(sentence: str) -> None:
    (found,) = _commitments(sentence + SIGNED, UNDATED if "2023" in sentence else LETTER)
    assert found.fulfilled_here and found.due is None


def test_a_letter_about_itself_is_still_no_promise() -> None:
    assert _commitments("In deze brief zal ik ingaan op de stand van zaken van de visserij." + SIGNED) == ()


def test_expecting_to_inform_parliament_is_a_promise_but_a_prediction_is_not() -> None:
    (found,) = _commitments("Ik verwacht uw Kamer in het voorjaar van 2024 te informeren over de regeling." + SIGNED)
    assert found.actor.startswith("minister") and found.due is not None and found.due.end == date(2024, 5, 31)
    assert _commitments("Ik verwacht dat de prijzen in 2024 zullen dalen." + SIGNED) == ()


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        (
            "De Gezondheidsraad zal in het voorjaar van 2024 een advies uitbrengen over de vaccinatie.",
            "Gezondheidsraad",
        ),
        ("De Raad voor Cultuur zal voor de zomer van 2024 een advies publiceren.", "Raad voor Cultuur"),
        ("Het Centraal Planbureau zal in 2024 een nieuwe raming publiceren.", "Centraal Planbureau"),
    ],
)
def test_named_advisory_bodies_are_actors(sentence: str, actor: str) -> None:
    (found,) = _commitments(sentence)
    assert found.actor == actor


def test_eu_council_formations_are_no_actors() -> None:
    assert [a.name for a in find_actors("De Landbouwraad en de Telecomraad, de Onderwijsraad")] == ["Onderwijsraad"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("binnen zes weken na ontvangst van het rapport", None),
        ("binnen drie maanden nadat de wet is aangenomen", None),
        ("uiterlijk in het derde kwartaal van 2024", (DAY, date(2024, 9, 30), "before")),
        ("ten laatste in het tweede kwartaal van 2024", (DAY, date(2024, 6, 30), "before")),
    ],
)
def test_relative_and_before_deadlines(phrase: str, expected: tuple[date, date, str] | None) -> None:
    due = parse_due(phrase, DAY)
    assert (None if due is None else (due.start, due.end, due.precision)) == expected


def test_undated_letter_event_without_year_gives_no_date() -> None:
    text = (
        "Het kabinet gaat per 1 juli 2024 de regeling verruimen. "
        "Ik zal tijdens de Landbouwraad van 20 oktober a.s. het standpunt toelichten." + SIGNED
    )
    found = _commitments(text, UNDATED)
    assert len(found) == 2 and found[1].due is None


def test_council_formations_are_eu_forums_and_meetings() -> None:
    assert find_forums("de Landbouw- en Visserijraad, de Telecomraad, de EPSCO-Raad, Ecofin") == ("EU",)
    assert find_forums("de Gezondheidsraad en de Onderwijsraad") == ()
    doc = clean(
        "Tijdens de Telecomraad van 5 december a.s. zal ik aandacht vragen voor de netten. "
        "In de Landbouwraad van 8 september jl. is gesproken over de visserij. "
        "Op de Wereldgezondheidsvergadering in mei jl. is een resolutie aangenomen."
    )
    meetings = {(m.forum, m.start, m.end) for m in find_meetings(doc, DAY)}
    assert meetings == {
        ("EU", date(2023, 12, 5), date(2023, 12, 5)),
        ("EU", date(2023, 9, 8), date(2023, 9, 8)),
        ("UN", date(2023, 5, 1), date(2023, 5, 31)),
    }


def test_a_debate_date_is_no_meeting() -> None:
    doc = clean("Zoals besproken in het commissiedebat over de Raad Algemene Zaken op 6 september jl. meld ik u dit.")
    assert find_meetings(doc, DAY) == ()


@pytest.mark.parametrize(
    ("signature", "minister"),
    [
        ("De Minister voor Natuur, Stikstof en Water,\n\nC. Voorbeeld", "minister voor Natuur, Stikstof en Water"),
        ("de minister van Landbouw,\nNatuur en Voedselkwaliteit,\n\nD. Voorbeeld",
         "minister van Landbouw, Natuur en Voedselkwaliteit"),
    ],
)  # fmt: skip
def test_signature_with_commas_and_line_breaks(signature: str, minister: str) -> None:
    assert signing_minister(clean("Ik zal u informeren.\n\nHoogachtend,\n\n" + signature + "\n")) == minister


def test_answers_name_the_answering_minister() -> None:
    doc = clean(
        "Vragen van het lid Voorbeeld aan de minister voor Natuur en Stikstof over de mest (ingezonden 1 mei 2023)."
        "\n\nAntwoord van minister Jansen (Natuur en Stikstof) (ontvangen 2 juni 2023)\n\nVraag 1\n\nKlopt dit?\n"
    )
    assert signing_minister(doc) == "minister voor Natuur en Stikstof"


def test_long_letterhead_keeps_the_subject_and_one_line_dossier_header() -> None:
    letterhead = "\n\n".join(f"Regel {n} van het briefhoofd" for n in range(20))
    info = read_document_info(
        clean(letterhead + "\n\nDatum 3 mei 2023\nBetreft Stand van zaken visserij\n\nGeachte voorzitter,\n\nTekst.")
    )
    assert info.date == date(2023, 5, 3) and info.title == "Stand van zaken visserij"
    kamerstuk = read_document_info(
        clean(
            "Tweede Kamer der Staten-Generaal\n\n21 501  Raad voor Landbouw en Visserij\n\nNr. 700  BRIEF VAN DE "
            "MINISTER\n\nDen Haag, 3 mei 2023\n\n" + "De visserij staat onder druk. " * 20
        )
    )
    assert kamerstuk.kamerstuk is not None and (kamerstuk.kamerstuk.dossier, kamerstuk.kamerstuk.number) == (
        "21501",
        "700",
    )
    assert kamerstuk.title == "Raad voor Landbouw en Visserij"


@pytest.mark.parametrize(
    ("sentence", "promised"),
    [
        ("De subsidieregeling wordt per 1 januari 2024 verruimd voor kleine boeren.", True),
        ("Het loket wordt in het voorjaar van 2024 overgedragen aan de RVO.", True),
        ("De regeling wordt in 2024 uitgevoerd door de provincies.", False),  # an agent: someone else's act
        ("De piek wordt in 2025 verwacht.", False),  # a prediction
        ("De regeling wordt in 2021 ingevoerd.", False),  # a date before the letter
        ("De regeling wordt mogelijk per 1 januari 2024 verruimd.", False),  # hedged
    ],
)
def test_present_passive_with_a_forward_date_right_after_the_verb(sentence: str, promised: bool) -> None:
    found = _commitments(sentence)
    assert bool(found) == promised
    if promised:
        assert found[0].actor == "kabinet" and found[0].due is not None


def test_hyphenated_motion_without_number_next_to_a_numbered_one() -> None:
    from services.ingest.domain.motions import find_motions

    doc = clean(
        "Met deze brief geef ik uitvoering aan de motie van het lid Jansen c.s. over de mest (Kamerstuk 35 334, "
        "nr. 12) en aan de motie-Pietersen over de visserij."
    )
    found = {(m.id, m.submitter) for m in find_motions(doc)}
    assert found == {("35334-12", "Jansen"), (None, "Pietersen")}
