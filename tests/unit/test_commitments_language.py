"""Commitment rules written from Dutch grammar, one synthetic sentence (or pair) per rule."""

from datetime import date

import pytest

from services.ingest.domain.cleaning import clean
from services.ingest.domain.commitments import find_commitments
from services.ingest.domain.model import CommitmentStatement, DocumentInfo

LETTER = DocumentInfo(date=date(2024, 5, 1), title=None, kind="letter", kamerstuk=None)
UNDATED = DocumentInfo(date=None, title=None, kind="letter", kamerstuk=None)


def _found(text: str, info: DocumentInfo = LETTER) -> tuple[CommitmentStatement, ...]:
    return find_commitments(clean(text), info)


@pytest.mark.parametrize(
    "sentence",
    [
        # a fronted subordinate clause, then the finite verb before its subject: a main clause
        "Wanneer de studie is afgerond zal ik uw Kamer informeren over de uitkomsten.",
        # parliament informed, subject first, the participle far from "wordt"
        "Uw Kamer wordt over de uitkomsten van de pilots voor het zomerreces geïnformeerd.",
        "De Kamer wordt in de tweede helft van dit jaar over de opzet van de monitor geïnformeerd.",
        # a subordinate clause with parliament as the recipient of a sending
        "Het verslag, dat voor de kerst aan uw Kamer zal worden verzonden, beschrijft de voortgang.",
        # "zie ik mij genoodzaakt ... te": an announced act
        "Daarom zie ik mij genoodzaakt de regeling in wetgeving vast te leggen.",
        # reports on a promise made earlier
        "Zoals door mijn voorganger is toegezegd, zoekt mijn ministerie uit wat de signalen betekenen.",
        "Met deze brief geeft het kabinet invulling aan de eerdere toezegging om uw Kamer te informeren.",
        "In het debat heeft de minister van Justitie toegezegd uw Kamer voor de zomer te informeren.",
        # commissioning an inquiry in the present tense
        "Ik kan het genoemde cijfer niet verklaren en laat hier nader naar kijken.",
        # an existential future with a new deliverable
        "Tot slot komt er, na de verkenning, een concreet plan van aanpak voor de regels.",
        # a present passive that creates a new deliverable
        "Ten tweede wordt een afwegingskader voor de vereenvoudiging gemaakt.",
        # a present passive with a forward time phrase and the ministry among its agents
        "Er wordt dit najaar door de gemeenten en het ministerie van VWS toegewerkt naar een handreiking.",
        # "naar verwachting" dates a delivery instead of hedging it
        "Naar verwachting zal de evaluatie aan het einde van het jaar kunnen worden afgerond.",
        # a body that expects to deliver
        "Eind mei verwacht de ILT het eindrapport op te kunnen leveren.",
        # "mijn departement" is the ministry
        "Mijn departement zal de implementatie van de richtlijn ter hand nemen.",
        # "blijf ik" with a forward time phrase
        "Wel blijf ik de komende tijd met de branche in gesprek over verbeteringen.",
        # reporting back, dated or not
        "Ik kom hier in de volgende voortgangsbrief op terug.",
        # an expectation that dates someone's delivery
        "De verwachting is dat de commissie begin 2025 zal rapporteren.",
        # a deliverable as the subject of appearing or taking place
        "Het rapport verschijnt naar verwachting in het voorjaar.",
        "De internetconsultatie van het wetsvoorstel zal in het vierde kwartaal plaatsvinden.",
        # a named body's present-tense act with a time phrase (also a name with its abbreviation)
        "De Adviesraad Migratie brengt in juni advies uit over de gevolgen.",
        "De Raad voor de leefomgeving en infrastructuur (Rli) brengt in het najaar advies uit over de inpassing.",
        # a fronted time phrase, the finite verb, then the subject (V2)
        "De komende maanden werk ik samen met de Belastingdienst een regeling uit.",
        # a gerundive that announces a dated deliverable
        "Hiervoor is aandacht in de later dit jaar te verschijnen jaarlijkse rapportage.",
        # the separable verb "toezeggen", "ga ... in gesprek", parliament addressed as "u"
        "Ik zeg toe uw Kamer voor de zomer te informeren.",
        "Ik ga met de sector in gesprek over de uitvoering.",
        "Voor het einde van het jaar ontvangt u van mij een brief.",
        # parliament as the recipient, dated relative to another event
        "De kabinetsreactie op dat advies wordt binnen drie maanden na publicatie aan uw Kamer gezonden.",
        # the aim as a noun, readiness, a promise reported as made earlier, adopting advice
        "Het streven is deze regeling, na besluitvorming, medio dit jaar te publiceren.",
        "Ja, ik ben bereid te onderzoeken hoe de risico's kunnen worden verminderd.",
        "In de brief van 15 december jl. is aangegeven dat het kabinet uw Kamer na afronding goed informeert.",
        "De netbeheerder adviseert een plan op te stellen en ik volg dit advies op.",
        # an expectation about the thing just named; a demonstrative subject that becomes available
        "Ik verwacht dit begin juli van dit jaar.",
        "Deze komt naar verwachting in de loop van 2024 beschikbaar.",
        # "vervangen door" names no agent
        "De politiepost wordt in 2025 vervangen door een kleinere post.",
        # inverted present tense with the ministry in a compound subject, or "we"
        "In het eerste kwartaal van 2025 maken het ministerie van VWS en de VNG vervolgafspraken.",
        "Ter uitvoering van de afspraken onderzoeken we in 2025 wat een structurele bekostiging is.",
        # parliament informed, the subject before the modal
        "Uw Kamer zal hierover na afronding van het proces nader worden geïnformeerd.",
        # a proper name with an inner capital is an organisation
        "Daarnaast zal ProRail onderzoeken of er alternatieven zijn voor de verbinding.",
        "Daarnaast zal Gasunie onderzoeken of er alternatieven zijn voor de verbinding.",
        # "naar verwachting" before a completion; first-person "streef ernaar"; the next issue of a series;
        # "is voorzien in"; "naar verwachting kan ik ... informeren"
        "Het onderzoek wordt naar verwachting in het najaar afgerond.",
        "Ik streef ernaar het wetsvoorstel voor de zomer in te dienen.",
        "In de volgende voortgangsrapportage informeer ik u over de resultaten.",
        "De evaluatie van de wet is voorzien in 2026.",
        "Naar verwachting kan ik uw Kamer in het najaar informeren.",
        # our own work on a named deliverable
        "Het ministerie van Financiën is momenteel bezig met de evaluatie van de regeling.",
        "Het kabinet werkt aan een wetsvoorstel over de huurbescherming.",
        # the aim in other nouns
        "Het voornemen is om de wet in 2025 te wijzigen.",
        "Ik heb het voornemen de regeling te verlengen.",
        "Het is de bedoeling dat de evaluatie voor de zomer gereed is.",
        "De planning is dat het rapport in juni verschijnt.",
        # "de minister" / "de staatssecretaris" without a portfolio
        "De staatssecretaris zal de Kamer voor 1 juli informeren.",
    ],
)
def test_a_promise_is_read(sentence: str) -> None:
    assert len(_found(sentence)) == 1, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # "wil" + a speech act, also with the subject inverted
        "Graag wil ik benadrukken dat de regels duidelijk zijn.",
        "Via deze weg wil ik iedereen bedanken die heeft bijgedragen.",
        # "wil ... houden": an ambition
        "De minister en ik willen de zorg ook in de toekomst toegankelijk houden.",
        # "gaat niet over": no plan
        "De regering gaat niet over de hoogte van de premies.",
        # a quoted title is not the writer speaking
        "Ik heb kennisgenomen van het artikel 'Agenten willen meer aandacht voor milieu' in de krant.",
        # the letter announcing its own next section
        "Daarna zal ik in het licht van het onderzoek enkele vraagstukken schetsen.",
        # an organisation named after the country announces, not the government
        "Zorgverzekeraars Nederland heeft aangekondigd medio 2025 een overzicht te publiceren.",
        # "te laten" after a past request is no present-tense plan
        "Ik heb de inspectie gevraagd een vervolgonderzoek te laten uitvoeren naar de effecten.",
        # an expected completion by someone else
        "Het onderzoek wordt uitgevoerd door de universiteit en zal naar verwachting in 2025 worden afgerond.",
        # ongoing work, or a creation that is already happening
        "Momenteel wordt een handreiking voor gemeenten gemaakt.",
        # a dated passive in a subordinate clause
        "Er is overleg, waarbij in het derde kwartaal wordt gesproken over de besteding.",
        # a present passive by others
        "De regeling wordt in het najaar uitgevoerd door de provincies.",
        # "ga ... in op": the letter's own structure; "ga ervan uit": an assumption
        "Daarna ga ik in op de vragen van de leden.",
        "Ik ga ervan uit dat we de doelen halen.",
        # a fronted time phrase before a verb that announces no act
        "Volgend jaar heb ik meer geld voor de regeling.",
        # "naar verwachting" before an effect, not a completion
        "Deze maatregelen zullen naar verwachting zorgen voor een betere arbeidsmarkt in 2025.",
        # refusals; work on something that is no deliverable; an agentless "wordt gewerkt aan"; receiving
        "Daar ga ik niet over, dat is aan de gemeenten.",
        "Het kabinet zal geen nieuwe maatregelen nemen.",
        "Het kabinet is bezig met de vraag hoe dit moet.",
        "Momenteel wordt er gewerkt aan een gezamenlijke kabinetsreactie.",
        "Dit jaar ontvang ik veel signalen van burgers.",
        # a denied aim; a third party's expected proposal; a past act
        "Het is niet de bedoeling dat gemeenten extra kosten maken.",
        "De Europese Commissie zal naar verwachting in het najaar een voorstel presenteren.",
        "Ik heb uw Kamer op 12 maart jl. geïnformeerd over de stand van zaken.",
        # "Zoals aangekondigd ... is uitgewerkt" tells what was done; "neemt ... over" states a position; an
        # abbreviation that opens a name ("de REAIM Summit") is no body
        "Zoals aangekondigd in de vorige brief is de top uitgewerkt langs drie thema's.",
        "Het kabinet neemt deze aanbeveling ten dele over.",
        "In 2021 heeft het kabinet de inzet op het gebied van nieuwe technologieën geïntensiveerd.",
        # a plain capitalised word may be a country or a group
        "Azerbeidzjan zal als voorzitter een routekaart presenteren.",
        # "ga ik ervanuit", "gaat het erom": no plan
        "Tot slot ga ik ervanuit dat de signalen serieus worden genomen.",
        "Hierbij gaat het erom niet alleen te kijken naar de vestigingsplaats.",
        # announcing a section of this letter
        "Daarvoor zal ik ingaan op de rol die het Rijk heeft in dit project.",
        # a country inside a prepositional phrase is not the subject
        "Vanwege het aantal platformen in Nederland zal naar verwachting het toezicht een belangrijke taak worden.",
        # a perfect "aangekondigd" only tells the history
        "In augustus 2022 heeft mijn voorganger een plan van aanpak aangekondigd om de problemen te verminderen.",
    ],
)
def test_no_promise_is_read(sentence: str) -> None:
    assert _found(sentence) == (), sentence


def test_a_present_passive_needs_a_document_date_to_lie_ahead() -> None:
    sentence = "Er wordt in 2015 door het ministerie toegewerkt naar een handreiking."
    assert _found(sentence, UNDATED) == ()


def test_answers_headed_antwoorden_are_read_after_a_question_block() -> None:
    text = "Vraag 1\nWat gaat u doen?\n\nAntwoorden op vraag 1 en 2\nIk zal uw Kamer over de uitkomsten informeren."
    (found,) = _found(text)
    assert "uitkomsten" in found.text


def test_zoals_toegezegd_with_a_past_act_is_met_and_with_a_present_act_stays_open() -> None:
    (met,) = _found("Zoals toegezegd in het debat ben ik in gesprek gegaan met de gemeenten.")
    (open_,) = _found("Zoals toegezegd zoekt mijn ministerie uit wat de rapporten inhouden.")
    assert met.fulfilled_here and not open_.fulfilled_here


def test_the_deadline_comes_from_the_promise_s_own_clause() -> None:
    (found,) = _found("Op 26 september is er een bijeenkomst en ik verwacht uw Kamer dit najaar te informeren.")
    assert found.due is not None and (found.due.start, found.due.end) == (date(2024, 9, 1), date(2024, 11, 30))
    (council,) = _found("In de Raad van 13 en 14 juni zal ik pleiten voor een snelle behandeling.")
    assert council.due is not None and council.due.start == date(2024, 6, 13)


def test_another_clause_s_far_horizon_is_not_the_promise_s_deadline() -> None:
    (found,) = _found("De netbeheerder adviseert voor na 2030 een plan op te stellen en ik volg dit advies op.")
    assert found.due is None


def test_an_english_text_holds_no_dutch_promises() -> None:
    text = (
        "The Security Council decides that Iraq shall provide the information, and that the inspectors will report "
        "to the Council by the end of the year. Het kabinet zal de Kamer informeren."
    )
    assert _found(text) == ()
