"""Deliverable nouns, their definiteness and aliases."""

from services.ingest.domain.deliverables import deliverable_of, find_aliases, find_objects


def test_deliverable_nouns_plurals_and_compounds() -> None:
    assert deliverable_of("adviezen") == "advies"
    assert deliverable_of("AIV-advies") == "advies"
    assert deliverable_of("expertbijeenkomst") == "bijeenkomst"
    assert deliverable_of("toetsingskader") == "beleidskader"
    assert deliverable_of("NAVO-top") is None  # "top" only on its own
    assert deliverable_of("kabinet") is None


def test_objects_are_definite_or_not_and_positions_carry_the_offset() -> None:
    objects = find_objects("een nieuw advies en de conferentie", {}, offset=10)
    assert [(o.deliverable, o.definite, o.position) for o in objects] == [
        ("advies", False, 10 + len("een nieuw ")),
        ("conferentie", True, 10 + len("een nieuw advies en de ")),
    ]


def test_alias_names_the_noun_phrase_before_it() -> None:
    body = "Wij organiseren een conferentie over AI in het militaire domein (hierna: REAIM Summit) in Den Haag."
    aliases = find_aliases(body)
    assert list(aliases) == ["REAIM Summit"]
    deliverable, phrase = aliases["REAIM Summit"]
    assert deliverable == "conferentie"
    assert phrase == "organiseren een conferentie over AI in het militaire domein "  # at most nine words
    (mention,) = find_objects("Met de REAIM Summit", aliases)
    assert (mention.deliverable, mention.definite, mention.surface) == ("conferentie", True, "REAIM Summit")
