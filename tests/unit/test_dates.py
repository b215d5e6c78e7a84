"""The time table of DESIGN.md, row by row."""

from datetime import date

import pytest

from services.ingest.domain.dates import find_date_spans, parse_due, parse_explicit_date

D2019 = date(2019, 9, 20)
D2021 = date(2021, 3, 22)


@pytest.mark.parametrize(
    ("text", "doc_date", "start", "end", "precision"),
    [
        # in 2020 / dit jaar / komend (volgend) jaar
        ("Het Kabinet is voornemens in 2021 een conferentie te organiseren", D2021, "2021-01-01", "2021-12-31", "year"),
        ("Dit jaar stuur ik uw Kamer een brief", D2021, "2021-01-01", "2021-12-31", "year"),
        ("Nederland zal het komend jaar een conferentie organiseren", D2019, "2020-01-01", "2020-12-31", "year"),
        ("volgend jaar", D2019, "2020-01-01", "2020-12-31", "year"),
        # eerste / tweede helft
        (
            "zal dit advies in de tweede helft van het jaar 2020 worden geactualiseerd",
            D2019,
            "2020-07-01",
            "2020-12-31",
            "half",
        ),
        ("in de eerste helft van 2020", D2019, "2020-01-01", "2020-06-30", "half"),
        # quarters
        (
            "In het tweede kwartaal van dit jaar zal de AIV/CAVV commissie een nieuw advies publiceren",
            D2021,
            "2021-04-01",
            "2021-06-30",
            "quarter",
        ),
        ("in het vierde kwartaal van 2022", D2021, "2022-10-01", "2022-12-31", "quarter"),
        ("in het derde kwartaal", D2021, "2021-07-01", "2021-09-30", "quarter"),
        # begin / medio / eind
        ("begin 2020", D2019, "2020-01-01", "2020-03-31", "part_of_year"),
        ("medio 2020", D2019, "2020-05-01", "2020-08-31", "part_of_year"),
        (
            "is het Kabinet voornemens om eind 2022 een conferentie te organiseren",
            date(2021, 10, 11),
            "2022-10-01",
            "2022-12-31",
            "part_of_year",
        ),
        ("eind dit jaar", D2019, "2019-10-01", "2019-12-31", "part_of_year"),
        # seasons; winter runs into the next year
        ("in het voorjaar van 2020", D2019, "2020-03-01", "2020-05-31", "season"),
        ("rond de zomer van 2020", D2019, "2020-06-01", "2020-08-31", "season"),
        ("najaar 2019", None, "2019-09-01", "2019-11-30", "season"),
        ("dit najaar", D2019, "2019-09-01", "2019-11-30", "season"),
        ("in de winter van 2019", None, "2019-12-01", "2020-02-29", "season"),
        # the last month of a quarter
        ("aan het eind van het eerste kwartaal van 2020", D2019, "2020-03-01", "2020-03-31", "month"),
        ("aan het eind van het eerste kwartaal", date(2020, 1, 10), "2020-03-01", "2020-03-31", "month"),
        # before ...
        ("voor de zomer", date(2020, 2, 1), "2020-02-01", "2020-06-30", "before"),
        ("voor het zomerreces", D2019, "2019-09-20", "2020-06-30", "before"),
        ("voor 1 januari 2023", D2019, "2019-09-20", "2022-12-31", "before"),
        ("uiterlijk in 2022", D2019, "2019-09-20", "2022-12-31", "before"),
        ("voor het einde van het jaar", D2019, "2019-09-20", "2019-12-31", "before"),
        # explicit dates; a missing year comes from the document date
        ("september 2019", None, "2019-09-01", "2019-09-30", "month"),
        ("op 15 en 16 februari in Den Haag", date(2023, 1, 26), "2023-02-15", "2023-02-16", "days"),
        ("Van 11 tot 15 november vindt de bijeenkomst plaats", D2019, "2019-11-11", "2019-11-15", "days"),
        ("op 3 december 2021", None, "2021-12-03", "2021-12-03", "day"),
        ("in november zal ik", D2019, "2019-11-01", "2019-11-30", "month"),
        # vague, relative to the document date
        ("de komende maanden", D2019, "2019-09-20", "2020-03-20", "vague"),
        ("op korte termijn", D2019, "2019-09-20", "2019-12-20", "vague"),
        ("binnen drie weken", D2019, "2019-09-20", "2019-10-11", "vague"),
        ("binnen 2 maanden", D2019, "2019-09-20", "2019-11-20", "vague"),
    ],
)
def test_time_table(text: str, doc_date: date | None, start: str, end: str, precision: str) -> None:
    due = parse_due(text, doc_date)
    assert due is not None
    assert (due.start.isoformat(), due.end.isoformat(), due.precision) == (start, end, precision)


def test_yearly_before_summer_recess_is_the_next_occurrence() -> None:
    due = parse_due("Wij rapporteren jaarlijks voor het zomerreces over de voortgang.", date(2022, 8, 1))
    assert due is not None
    assert due.recurring == "yearly"
    assert due.end == date(2023, 6, 30)
    before_summer = parse_due("jaarlijks voor het zomerreces", date(2022, 3, 1))
    assert before_summer is not None and before_summer.end == date(2022, 6, 30)


@pytest.mark.parametrize(
    "text",
    [
        "dit jaar",
        "volgend jaar",
        "de komende maanden",
        "op korte termijn",
        "voor de zomer",
        "dit najaar",
        "binnen drie weken",
        "eind dit jaar",
        "jaarlijks voor het zomerreces",
        "op 15 en 16 februari",
    ],
)
def test_relative_phrase_in_undated_document_gives_none(text: str) -> None:
    assert parse_due(text, None) is None


def test_no_deadline_phrase_gives_none() -> None:
    assert parse_due("Ik zal uw Kamer blijven informeren over de voortgang.", D2019) is None
    assert parse_due("Uw Referentie 2019Z09349/2019D20220", D2019) is None


def test_most_specific_phrase_wins_and_past_deadlines_are_ignored() -> None:
    due = parse_due("In 2019 is aangekondigd dat het advies in de eerste helft van 2020 verschijnt.", D2019)
    assert due is not None and due.precision == "half"
    # "In 2018" ended before the document date: it is not a deadline.
    assert parse_due("In 2018 werd besloten.", D2019) is None


def test_jl_means_the_most_recent_past_occurrence() -> None:
    (span,) = find_date_spans("Op 20-21 augustus jl. kwam de GGE bijeen.", D2019)
    assert (span.start, span.end, span.precision) == (date(2019, 8, 20), date(2019, 8, 21), "days")
    (past,) = find_date_spans("Op 15 oktober jl. sprak ik met hem.", D2019)
    assert past.start == date(2018, 10, 15)


def test_future_direction_takes_the_next_occurrence() -> None:
    (span,) = find_date_spans("op 15 februari", date(2023, 3, 1), "future")
    assert span.start == date(2024, 2, 15)
    (as_is,) = find_date_spans("op 15 februari", date(2023, 3, 1))
    assert as_is.start == date(2023, 2, 15)


def test_dates_without_year_in_undated_document_are_skipped() -> None:
    assert find_date_spans("op 15 en 16 februari", None) == ()
    (span,) = find_date_spans("in december 2021", None)
    assert (span.start, span.end) == (date(2021, 12, 1), date(2021, 12, 31))


def test_parse_explicit_date() -> None:
    assert parse_explicit_date("AIV-advies 119, CAVV-advies 38 van 3 december 2021 – Autonome") == date(2021, 12, 3)
    assert parse_explicit_date("geen datum hier") is None


D2024 = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # parts of a month: begin 1-10, medio 11-20, eind 21 to the last day
        ("Eind mei verwacht de inspectie het rapport op te leveren.", "2024-05-21", "2024-05-31"),
        ("Begin juli stuur ik uw Kamer een brief.", "2024-07-01", "2024-07-10"),
        ("medio juni 2025", "2025-06-11", "2025-06-20"),
        # halves of a month
        ("in de tweede helft van juni", "2024-06-16", "2024-06-30"),
        ("de eerste helft van maart 2025", "2025-03-01", "2025-03-15"),
        # a range of two month parts: from the first part's start to the last part's end
        ("Ik ben voornemens om eind maart/begin april een expertmeeting te organiseren.", "2024-03-21", "2024-04-10"),
        ("eind december of begin januari", "2024-12-21", "2025-01-10"),
        # before Christmas Day; Prinsjesdag is the third Tuesday of September
        ("die voor de kerst aan uw Kamer zal worden verzonden", "2024-03-01", "2024-12-24"),
        ("Voor Prinsjesdag informeer ik uw Kamer.", "2024-03-01", "2024-09-16"),
        ("Op Prinsjesdag 2025 wordt de nota aangeboden.", "2025-09-16", "2025-09-16"),
        # later this year: from the document date
        ("in de later dit jaar te verschijnen rapportage", "2024-03-01", "2024-12-31"),
    ],
)
def test_month_parts_holidays_and_later_this_year(text: str, start: str, end: str) -> None:
    due = parse_due(text, D2024)
    assert due is not None and (due.start.isoformat(), due.end.isoformat()) == (start, end)
