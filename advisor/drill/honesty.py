"""Checks that keep a question honest: the question text never contains an option's
distinctive words (a word some options have and others don't), and no option is contained
in another. A guesser that picks the option sharing the most words with the question then
scores no better than chance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Function words only: every content word counts, so no guesser finds overlap this misses.
STOPWORDS = frozenset("""
a an and are as at be by can do does for from has have how if in into is it its may must
not of on or should so than that the their then there these they this to was were what when
where which who will with would you your e g i s t
""".split())
# Words of the whole domain that nearly every scenario has: not distinctive of an option.
GENERIC = frozenset({"azure", "data", "model", "machine", "learning", "ml"})
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light stem so that plurals and -ing/-ed forms match ("trials"/"trial", "logging"/"logs")."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> frozenset[str]:
    """Content words of a text, lower-cased and lightly stemmed."""
    stems = (_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS)
    return frozenset(w for w in stems if w not in GENERIC)


def giveaways(question_text: str, options: Sequence[str]) -> dict[int, frozenset[str]]:
    """For each option (by index), its distinctive words that the question text contains.
    A word is distinctive when some but not all of the options have it."""
    text = words(question_text)
    option_words = [words(o) for o in options]
    shared = frozenset.intersection(*option_words) if option_words else frozenset()
    found = {}
    for index, mine in enumerate(option_words):
        leaked = (mine - shared) & text
        if leaked:
            found[index] = leaked
    return found


def contained(options: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) where option i's text is contained in option j's (as whole words)."""
    normal = [" " + " ".join(_WORD.findall(o.lower())) + " " for o in options]
    pairs = []
    for i, inner in enumerate(normal):
        for j, outer in enumerate(normal):
            if i != j and inner.strip() and inner in outer:
                pairs.append((i, j))
    return pairs


def honest(question_text: str, options: Sequence[str]) -> bool:
    return not giveaways(question_text, options) and not contained(options)


def pick_options(question_text: str, keys: Sequence[str], candidates: Iterable[str], size: int) -> list[str] | None:
    """Keys plus candidates, in the candidates' order, keeping only those that leave the
    question honest; None when the keys alone already give the answer away."""
    chosen = list(keys)
    if not honest(question_text, chosen):
        return None
    for candidate in candidates:
        if len(chosen) >= size:
            break
        if candidate in chosen:
            continue
        if honest(question_text, [*chosen, candidate]):
            chosen.append(candidate)
    return chosen
