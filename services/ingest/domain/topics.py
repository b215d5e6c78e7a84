"""Topic words: the stemmed Dutch content words of a text, for linking statements across letters."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain


def _words(text: str) -> list[str]:
    return text.split()


_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
STOPWORDS = frozenset(
    _words(
        """
    de het een en of maar dat die dit deze wat wie waar wanneer hoe omdat zodat als dan ook nog niet
    geen wel al te om op in aan van voor met bij door over tot uit naar na onder tussen tegen zonder
    binnen buiten per via sinds tijdens volgens vanuit rond rondom zoals waarbij waarin waarmee waarop
    waarvan waardoor daarbij daarin daarmee daarop daarvan daardoor daarom daartoe hiervoor hierbij
    hierin hiermee hierop hiervan hierover zal zullen zou zouden is zijn was waren wordt worden werd
    werden heeft hebben had hadden kan kunnen kon moet moeten mag mogen wil willen gaat gaan blijft
    blijven komt komen doet doen staat staan ben bent ik wij we u uw hij zij ze hun haar mijn onze ons
    jullie men er hier daar zich kabinet minister ministers ministerie regering kamer nederland
    nederlandse staatssecretaris tweede zeer meer veel verder nader daarnaast bovendien tevens eveneens
    echter slotte tenslotte alsmede reeds nu thans eerst eerder later weer steeds zo dus graag mede
    enkel alleen ander andere jaar jaren maand maanden week weken dag dagen komend komende volgend
    volgende januari februari maart april mei juni juli augustus september oktober november december
    eerste derde vierde helft kwartaal begin eind einde medio voorjaar zomer najaar winter voornemens
    beoogt beogen informeren geïnformeerd nr nrs jl hierna onderwerp kader inzet gebied verband manier
    wijze mogelijk belang belangrijk ten behoeve the of and to for den me nl waaronder bijvoorbeeld
    enkele gehele betrekking elkaar basis daaruit daarop hiertoe alle onder andere welke zoals sprake
    organiseren organiseert georganiseerd publiceren gepubliceerd sturen toesturen zenden versturen
    opstellen houden gehouden
    """
    )
)
_DIACRITICS = str.maketrans("áàäâéèëêíìïîóòöôúùüûç", "aaaaeeeeiiiioooouuuuc")


_DOUBLE_VOWEL = re.compile(r"([aeiou])\1")
_FOOTNOTE_MARKER = re.compile(r"\[\^\d+\]")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude Dutch stem: strip plural/inflection endings and collapse doubled vowels, so that
    "technologieën"/"technologie" and "internationale"/"internationaal" meet."""
    word = unicodedata.normalize("NFC", word.lower()).translate(_DIACRITICS).strip("'’-")
    for suffix in ("'s", "’s", "en", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return _DOUBLE_VOWEL.sub(r"\1", word)


@lru_cache(maxsize=65536)
def _token_stems(token: str) -> tuple[str, ...]:
    """The stems one token adds to the topic words (none for stopwords and short lower-case words)."""
    lowered = token.lower()
    if lowered in STOPWORDS or (len(lowered) < 3 and not token.isupper()):  # keep "AI", "VN"
        return ()
    # "UAV-industrie" -> uav, industrie
    return tuple(stem(part) for part in lowered.split("-") if len(part) >= 2 and part not in STOPWORDS)


def topic_words(text: str) -> frozenset[str]:
    """Lower-cased, stemmed content words without stopwords, numbers and footnote markers."""
    return frozenset(chain.from_iterable(map(_token_stems, _WORD.findall(_FOOTNOTE_MARKER.sub(" ", text)))))
