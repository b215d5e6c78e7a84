"""Actors of a sentence, advisory bodies and the signing minister."""

from services.ingest.domain.actors import body_actor, find_actors, is_government, signing_minister
from services.ingest.domain.cleaning import clean


def test_actors_in_text_order_with_the_most_specific_name() -> None:
    hits = find_actors("Het kabinet vraagt de AIV en de CAVV om advies; ik zal de Raad van State horen.")
    assert [h.name for h in hits] == ["kabinet", "AIV/CAVV", "ik", "Raad van State"]
    assert hits[0].start == 0 and hits[0].end == len("Het kabinet")


def test_kabinet_but_not_kabinetsreactie_and_minister_with_department() -> None:
    names = [h.name for h in find_actors("De kabinetsreactie volgt. De Minister van Buitenlandse Zaken schrijft.")]
    assert names == ["minister"]


def test_government_and_advisory_bodies() -> None:
    assert is_government("kabinet") and is_government("minister van Defensie") and not is_government("AIV")
    assert body_actor("Het kabinet dankt de AIV en de CAVV.") == "AIV/CAVV"
    assert body_actor("De WRR publiceert een rapport.") == "WRR"
    assert body_actor("Het kabinet zal een brief sturen.") is None


def test_signing_minister() -> None:
    doc = clean("Geachte voorzitter,\n\nTekst.\n\nDe Minister van Buitenlandse Zaken,\n\nA. Naam\n")
    assert signing_minister(doc) == "minister van Buitenlandse Zaken"
    assert signing_minister(clean("Geen ondertekening.")) is None


def test_abbreviated_bodies_former_ministers_and_organisations_named_after_the_country() -> None:
    names = [a.name for a in find_actors("Eind mei verwacht de ILT het rapport, en het UWV en de EU volgen.")]
    assert names == ["ILT", "UWV"]
    assert [a.name for a in find_actors("De toenmalige minister van Justitie schreef aan mijn voorganger.")] == [
        "minister",
        "minister",
    ]
    assert [a.name for a in find_actors("Mijn departement overlegt met Zorgverzekeraars Nederland.")] == ["ministerie"]
    assert [a.name for a in find_actors("En Nederland zal een conferentie organiseren.")] == ["Nederland"]
