"""Motion references: numbers in all their spellings, submitters, letters that are not motions."""

from pathlib import Path

from services.ingest.domain.cleaning import clean
from services.ingest.domain.motions import find_motions

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"


def _motions(text: str) -> list[tuple[str | None, str | None]]:
    return [(m.id, m.submitter) for m in find_motions(clean(text))]


def test_number_spellings() -> None:
    assert _motions("Over de uitvoering van de motie Koopmans c.s. (motie 33694 nr.43).") == [("33694-43", "Koopmans")]
    assert _motions("De motie van het lid Koopmans (Kamerstuk 33 694, nr. 43) vraagt dit.") == [
        ("33694-43", "Koopmans")
    ]
    assert _motions("Zie de motie over drones (Kamerstukken 32852, nr. 199).") == [("32852-199", None)]
    assert _motions("De motie van het lid Van Ginneken c.s. over wapens (motie 35 848, nr. 8) is helder.") == [
        ("35848-8", "Van Ginneken")
    ]


def test_letters_and_debates_are_not_motions() -> None:
    text = (
        "In dit kader verwijs ik naar mijn brief van 13 mei (Kamerstuk 33694 nr.45) en het debat "
        "(Kamerstuk 21 501-02, nr. 2405) over de motie van het lid Koopmans (Kamerstuk 33 694, nr. 43)."
    )
    assert _motions(text) == [("33694-43", "Koopmans")]
    assert _motions("Zoals in mijn brief (Kamerstuk 33694 nr.45) staat.") == []


def test_number_in_a_footnote_of_the_sentence() -> None:
    text = "Ik informeer u over de motie Koopmans c.s.[^3] in deze brief.\n\n[^3]: Kamerstuk 33 694, nr. 43\n"
    assert _motions(text) == [("33694-43", "Koopmans")]


def test_unnumbered_motion_and_deduplication() -> None:
    assert _motions("De motie Koopmans c.s. van 24 april 2019 roept op tot actie.") == [(None, "Koopmans")]
    text = (
        "Betreft Motie Koopmans c.s. over wapens\n\n"
        "Over de motie Koopmans c.s. (motie 33694 nr.43). Nogmaals de motie 33694 nr.43."
    )
    assert _motions(text) == [("33694-43", "Koopmans")]


def test_seed_letters() -> None:
    found = {p.name[:3]: _motions(p.read_text(encoding="utf-8")) for p in sorted(LETTERS.glob("*.txt"))}
    assert found == {
        "000": [("33694-43", "Koopmans")],
        "001": [("33694-43", "Koopmans")],
        "002": [(None, "Koopmans")],
        "003": [],
        "004": [("33694-43", "Koopmans"), ("35848-8", "Van Ginneken")],
    }


def test_dossier_parts_and_kamerstukken_ii_citations() -> None:
    assert _motions("De motie van het lid Bos (Kamerstukken II 2023/24, 36 410 VIII, nr. 82) vraagt dit.") == [
        ("36410-VIII-82", "Bos")
    ]
    assert _motions("Met de motie-Van der Berg (Kamerstuk 21 501-02, nr. 2498) is verzocht.") == [
        ("21501-02-2498", "Van der Berg")
    ]
    assert _motions("Over de motie (kenmerk 1234567, nr. 8) schreef ik.") == []  # no dossier inside a longer number


def test_footnote_number_for_a_motion_named_far_before_the_marker() -> None:
    text = (
        "Hiermee geeft het kabinet invulling aan de motie van het lid Jansen over het vergroten van de "
        "autonomie van de wijkverpleging door de wijkverpleegkundige een centrale rol bij de indicatiestelling "
        "in het sociaal domein en de zorg thuis te geven.[^2]\n\n[^2]: Kst. 23 235, nr. 252."
    )
    assert _motions(text) == [("23235-252", "Jansen")]


def test_footnote_that_names_the_motion_itself() -> None:
    text = "Zo wordt gevolg gegeven aan het verzoek van uw Kamer.[^1]\n\n"
    text += "[^1]: Motie van het lid Smit (Kamerstuk 31 765, nr. 957)."
    assert _motions(text) == [("31765-957", "Smit")]


def test_footnote_citing_a_debate_about_motions_is_no_motion() -> None:
    text = (
        "Dit is een schriftelijke toezegging.[^1]\n\n[^1]: Toezegging over aangenomen moties ingediend tijdens het "
        "tweeminutendebat acute zorg (kst. 29 247, nr. 480)."
    )
    assert _motions(text) == []


def test_enumerated_numbers_in_one_dossier() -> None:
    assert _motions("De moties van de leden Bos en Smit (Kamerstukken 31 765, nrs. 800 en 801) vragen dit.") == [
        ("31765-800", "Bos"),
        ("31765-801", "Bos"),
    ]
    assert [m for m, _ in _motions("De moties (Kamerstuk 29 689, nr. 11, 13 en 15) vragen dit.")] == [
        "29689-11",
        "29689-13",
        "29689-15",
    ]
    assert _motions("De motie (Kamerstuk 29 689, nr. 1311, 2023) vraagt dit.") == [("29689-1311", None)]
    assert _motions("De motie (Kamerstuk 29 689, nr. 11 en 21 501-02, nr. 12) vraagt dit.") == [
        ("29689-11", None),
        ("21501-02-12", None),
    ]


def test_publication_ids_in_links() -> None:
    text = (
        "Hiermee voer ik de motie van het lid Bos uit.[^3]\n\n"
        "[^3]: https://zoek.officielebekendmakingen.nl/kst-36200-XVI-12.html"
    )
    assert _motions(text) == [("36200-XVI-12", "Bos")]
    assert _motions("Zie de motie (kst-21501-02-2498).") == [("21501-02-2498", None)]
    assert _motions("Zie mijn brief (kst-21501-02-2497) over de motie.") == []


def test_in_overleg_is_no_referent_but_a_schriftelijk_overleg_is() -> None:
    text = "De motie van het lid Bos vraagt om in overleg met gemeenten een plan te maken (Kamerstuk 31 765, nr. 9)."
    assert _motions(text) == [("31765-9", "Bos")]
    assert _motions("Over de motie schreef ik in het schriftelijk overleg (Kamerstuk 31 765, nr. 10).") == []


def test_the_documents_own_number_is_no_motion_it_refers_to() -> None:
    text = (
        "36 410 XVI Vaststelling van de begroting\n\nNr. 12 MOTIE VAN HET LID BOS\n\nDe Kamer,\n\nverzoekt de "
        "regering de motie (Kamerstuk 36 410 XVI, nr. 11) uit te voeren en deze motie (kst-36410-XVI-12) te melden."
    )
    assert _motions(text) == [("36410-XVI-11", None)]
