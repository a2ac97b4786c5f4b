"""Finding people by name, tolerant of accents, spacing and transliteration.

Names of people from Syria, Eritrea, Afghanistan, Turkey and Somalia reach the
municipality in many spellings: Mohammed, Mohamed, Muhammad; Abdulrahman and Abdul
Rahman; Al-Khatib and Alkhatib; Youssef and Yusuf. A *skeleton* keeps what these
spellings share: the consonants, with common transliteration pairs made equal and
doubled letters collapsed. Matching compares folded text and skeletons, and
RapidFuzz scores near misses (typos).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouy]")
# Transliteration pairs, applied to folded text before vowels are dropped.
_PAIRS: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("ch", "kh"),  # Dutch 'ch' and English 'kh' for the same Arabic sound
    ("sj", "sh"),
    ("dj", "j"),
    ("dzj", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
)
FUZZY_THRESHOLD = 85


def fold(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("ß", "ss").replace("ø", "o").replace("ı", "i")
    return _NON_ALNUM.sub(" ", plain).strip()


def skeleton(text: str) -> str:
    """The spelling-tolerant key of a name: consonants of the folded, joined words."""
    joined = fold(text).replace(" ", "")
    for source, target in _PAIRS:
        joined = joined.replace(source, target)
    head, tail = joined[:1], joined[1:]
    if head in {"y", "j"}:  # Youssef / Yusuf / Joessef keep their first sound
        head = "y"
    elif _VOWELS.match(head):
        head = ""
    return _DOUBLES.sub(r"\1", head + _VOWELS.sub("", tail))


def soft(text: str) -> str:
    """The folded word with transliteration pairs applied and vowels reduced to three
    classes (a; e/i/y; o/u), doubled letters collapsed: Mohammed and Muhammad come close,
    Mahmoud stays apart."""
    word = fold(text).replace(" ", "")
    for source, target in _PAIRS:
        word = word.replace(source, target)
    word = word.translate(_VOWEL_CLASSES)
    return _DOUBLES.sub(r"\1", word)


_VOWEL_CLASSES = str.maketrans({"u": "o", "e": "i", "y": "i"})
SOFT_SIMILARITY = 75


@dataclass(frozen=True)
class _Word:
    plain: str
    bones: str
    soft: str

    @classmethod
    def of(cls, text: str) -> _Word:
        return cls(fold(text).replace(" ", ""), skeleton(text), soft(text))


@dataclass(frozen=True)
class SearchKey:
    """What a person is found by: the folded text, and each word (and each pair of
    neighbouring words, for 'Abdul Rahman' against 'Abdulrahman') in its forms."""

    plain: str
    words: tuple[_Word, ...]

    @classmethod
    def of(cls, *parts: str | None) -> SearchKey:
        """The key of all the given text (names, client number ...)."""
        text = " ".join(p for p in parts if p)
        words = fold(text).split()
        pieces = words + [a + b for a, b in itertools.pairwise(words)]
        return cls("".join(words), tuple(_Word.of(piece) for piece in pieces))


def _tokens(query: str) -> list[_Word]:
    return [_Word.of(word) for word in fold(query).split()]


def _token_score(token: _Word, key: SearchKey) -> int:
    """100 for a literal part, 95 for a spelling variant, less for a typo, 0 for no match."""
    if token.plain in key.plain:
        return 100
    best = 0
    for word in key.words:
        same_bones = len(token.bones) >= 2 and word.bones.startswith(token.bones)
        if same_bones and fuzz.ratio(token.soft, word.soft[: len(token.soft)]) >= SOFT_SIMILARITY:
            return 95
        if len(token.plain) >= 5:
            score = int(fuzz.ratio(token.plain, word.plain))
            if score >= FUZZY_THRESHOLD:
                best = max(best, score - 10)
    return best


def _score(tokens: Sequence[_Word], key: SearchKey) -> int:
    score = 100
    for token in tokens:
        score = min(score, _token_score(token, key))
        if not score:
            return 0
    return score


def match_score(query: str, key: SearchKey) -> int:
    """How well ``key`` matches every word of ``query`` (0: not a match)."""
    return _score(_tokens(query), key)


def search(query: str, keys: Sequence[SearchKey]) -> list[tuple[int, int]]:
    """Indexes of the keys that match ``query`` with their scores, best first (stable)."""
    tokens = _tokens(query)
    found = [(i, score) for i, key in enumerate(keys) if (score := _score(tokens, key)) > 0]
    found.sort(key=lambda pair: -pair[1])
    return found
