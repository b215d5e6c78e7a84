"""The grammar reading of one sentence: marker, subject actor, object."""

from services.ingest.domain.actors import find_actors
from services.ingest.domain.reading import Reading, clause_bounds, read_sentence


def _read(text: str) -> Reading | None:
    return read_sentence(text, find_actors(text), {})


def test_subject_before_and_after_the_marker() -> None:
    reading = _read("Het kabinet zal een beleidskader opstellen.")
    assert reading is not None and (reading.actor, reading.deliverable, reading.definite) == (
        "kabinet", "beleidskader", False,
    )  # fmt: skip
    inverted = _read("In het voorjaar zal de AIV een advies uitbrengen.")
    assert inverted is not None and (inverted.actor, inverted.deliverable) == ("AIV", "advies")


def test_agentless_passive_and_informing_parliament() -> None:
    passive = _read("Dit advies zal in 2020 worden geactualiseerd.")
    assert passive is not None and passive.actor is None and passive.passive and passive.deliverable == "advies"
    inform = _read("Ik zal uw Kamer hierover informeren.")
    assert inform is not None and (inform.actor, inform.deliverable) == ("ik", "brief")


def test_no_promise() -> None:
    assert _read("De GGE bereikte een rapport, dat in november aangeboden zal worden.") is None  # subordinate
    assert _read("Ook zal Defensie het personeelsbeleid moeten ontwikkelen.") is None  # necessity
    assert _read("Het kabinet wil benadrukken dat dit belangrijk is.") is None  # not an intention
    assert _read("Het kabinet heeft een brief gestuurd.") is None  # no marker


def test_clause_bounds_ignore_commas_in_parentheses() -> None:
    text = "Eerst dit, daarna (zie a, b) het kabinet zal, zo nodig, handelen."
    start, end = clause_bounds(text, text.index("zal"))
    assert text[start:end] == " daarna (zie a, b) het kabinet zal"
