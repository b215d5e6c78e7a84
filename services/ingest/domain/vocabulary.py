"""Word lists of the Dutch the extractor reads: verbs, actors and markers, one place for a linguist to extend.

Each list is plain words; the modules that use them (commitments, reading, actors) build their patterns from
them with `alternation`. Participles and infinitives are listed as written, not derived: Dutch forms them
irregularly enough ("genomen", "uitgebracht") that a list is clearer than a rule.
"""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def alternation(items: tuple[str, ...]) -> str:
    """A regex alternation of `items` (longest first, spaces as \\s+), without a group."""
    return "|".join(item.replace(" ", r"\s+") for item in sorted(items, key=len, reverse=True))


# ---------------------------------------------------------------- actors and deliverables

# the names find_actors gives the government's own actors ("ik" becomes the signing minister)
GOVERNMENT_ACTORS = frozenset(words("kabinet minister Nederland ministerie regering ik"))
# deliverables that count as the same kind when a later letter links to an earlier promise (linking.py)
RELATED_DELIVERABLES: tuple[frozenset[str], ...] = (
    frozenset(words("conferentie bijeenkomst consultatie dialoog")),
    frozenset(words("advies rapport studie onderzoek analyse")),
    frozenset(words("brief rapportage verslag nota notitie overzicht update")),
    frozenset(words("beleidskader strategie visie actieplan plan agenda routekaart")),
    frozenset(words("kabinetsreactie standpunt")),
)

# ---------------------------------------------------------------- verbs and markers (commitments, reading)

# a sentence without one of these (in lower case) holds no future or intention marker: read_sentence is skipped
MARKER_WORDS = frozenset(
    words(
        """zal zullen zult voornemens voornemen plan beoogt beogen streeft streven streef wil willen ga gaat gaan
        neemt nemen verwacht verwachten verwachting toegezegd aangekondigd beloofd toezegging hierbij geïnformeerd
        geinformeerd ingelicht bericht genoodzaakt zeg zegt zeggen bereid aangegeven volg voorzien gepland bezig
        werkt werken bedoeling planning"""
    )
)
# common verbs the present-tense rules start from (read further only with a time, parliament or a few cues)
PRESENT_TENSE_WORDS = frozenset(words("wordt worden te laat laten komt komen blijf blijft blijven kom ontvangt"))

# "wil ik graag benadrukken", "willen wij iedereen bedanken": speech acts of the letter, not plans
SPEECH_ACT_VERBS = words(
    """benadrukken opmerken wijzen aangeven onderstrepen stilstaan ingaan toelichten melden delen vragen danken
    bedanken herhalen complimenteren feliciteren memoreren noemen"""
)
# "wil ... toegankelijk houden", "wil ... kunnen sturen": keeping a state or an ability is an ambition
STATE_VERBS = words("houden behouden blijven kunnen")
# "Ik verwacht uw Kamer ... te informeren", "verwacht de inspectie het rapport op te (kunnen) leveren"
EXPECTED_ACT_INFINITIVES = words(
    """informeren sturen zenden rapporteren publiceren presenteren versturen leveren ronden brengen verschijnen
    starten organiseren afronden opleveren aanbieden uitbrengen"""
)
# "laat ... nader kijken": commissioning an inquiry ("laten" + one of these)
INQUIRY_INFINITIVES = words(
    """onderzoeken kijken bekijken uitzoeken nagaan uitwerken analyseren evalueren toetsen verkennen inventariseren
    doorrekenen uitvoeren"""
)
# "wordt een afwegingskader ... gemaakt": participles that create a new deliverable
CREATION_PARTICIPLES = words(
    """gemaakt opgesteld ontwikkeld uitgewerkt geschreven opgeleverd gepubliceerd uitgevoerd georganiseerd gestart
    opgezet ingesteld gehouden ingericht uitgebracht voorbereid gelanceerd geëvalueerd geevalueerd"""
)
# "zal ... kunnen worden afgerond": with these, "naar verwachting" dates a delivery instead of hedging it
COMPLETION_WORDS = words(
    """afgerond opgeleverd gepubliceerd verzonden aangeboden gestuurd toegezonden verschijnen verschijnt gereed
    klaar ingediend"""
)
# "Het rapport verschijnt in het voorjaar": present-tense verbs of a deliverable appearing
APPEAR_VERBS = words("verschijnt verschijnen volgt volgen")
# "De consultatie zal in het vierde kwartaal plaatsvinden": infinitives of a deliverable taking place
APPEAR_INFINITIVES = words("plaatsvinden verschijnen starten beginnen volgen")
# "De Adviesraad brengt in juni advies uit": present-tense acts of a named body
BODY_ACT_VERBS = words("brengt publiceert presenteert levert rapporteert stuurt start organiseert adviseert komt")
# "Volgend jaar heb ik ...": finite verbs after a fronted time phrase that announce no act
NOT_ACT_VERBS = frozenset(
    words(
        """heb heeft hebben had hadden ben is zijn was waren kan kunnen mag moet moeten zou zouden wil willen vind
        vindt vinden acht achten zie ziet zien denk hoop weet verwacht constateer constateert merk ontvang ontvangt
        krijg krijgt lees hoor word wordt werd kreeg deel deelt steun steunt erken erkent"""
    )
)
# "Uw Kamer wordt ... geïnformeerd / bericht": parliament informed (a present passive is a promise)
INFORMED_PARTICIPLES = words("geïnformeerd geinformeerd ingelicht bericht")
# "... aan uw Kamer (zal) worden verzonden": parliament as the recipient of a passive sending
SENT_PARTICIPLES = words("toegezonden toegestuurd gestuurd gezonden verstuurd verzonden aangeboden voorgelegd")
SENT_INFINITIVES = words("sturen versturen zenden publiceren presenteren ontvangen")
# "geeft invulling aan de eerdere toezegging": the letter reports on an earlier promise
PROMISE_NOUNS = words("toezegging toezeggingen belofte")
# "Daarna zal ik ... schetsen": the letter announcing its own next section
DISCOURSE_VERBS = words(
    """schetsen schets beschrijven beschrijf toelichten ingaan bespreken behandelen uiteenzetten samenvatten
    stilstaan"""
)
# "Gasunie", "Rijkswaterstaat", "de Belastingdienst": endings of organisations' names (never of countries)
ORGANISATION_ENDINGS = words(
    "dienst waterstaat beheer unie inspectie bureau fonds instituut centrum autoriteit bank college raad"
)
# capitalised words that open a sentence or follow its verb without naming anyone ("Dit zal", "zal Uw")
NOT_NAMES = frozenset(
    words(
        """dit deze die dat het de een er hier daar ook zo nu dan uw wij ik men iedereen niemand alles dergelijke
        daarnaast daarbij bovendien tevens verder voorts vervolgens ten tot"""
    )
)
# the language of a text, by its commonest function words
DUTCH_FUNCTION_WORDS = frozenset(words("de het een en van niet zijn dat die wordt zal ook voor"))
ENGLISH_FUNCTION_WORDS = frozenset(words("the a and of not be that which is will also for"))
SEQUENCE_OPENERS = words("daarna vervolgens eerst allereerst hierna tot slot ten slotte tenslotte")
# "de ILT", "het UWV": upper-case abbreviations that name foreign, international or political actors, not bodies
# that report to this government
NOT_BODY_ABBREVIATIONS = frozenset(
    words(
        """EU VN VS UN US UK NAVO NATO EC EP EER OVSE OESO IMF WTO WHO IAEA ICC EHRM HvJ G7 G20 SP VVD CDA PVV
        PvdA GL CU SGP BBB NSC DENK FvD PvdD JA21 AI ICT BV NV"""
    )
)
