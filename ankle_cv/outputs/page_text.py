"""User-typed text on matplotlib pages: printed as typed ($ is not maths) in a font that has its characters.

matplotlib reads text between two `$` as mathtext ("Paid $10 copay, $5 parking" lost its dollars) and
draws characters its font lacks as empty boxes (Chinese names in DejaVu Sans). `literal_text()` turns
mathtext and TeX off for every figure; `PageText.printable()` adds an installed font that covers a
text's characters as a fallback (Noto Sans CJK, WenQuanYi, PingFang, Microsoft YaHei, ... whatever
this computer has), and where none does, prints "?" in their place and says so: never a silent box.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field

import matplotlib
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

MISSING_MARK = "?"
# matplotlib's Last Resort font "covers" every code point with a box naming its block: not a fallback for names


def literal_text() -> None:
    """Every Text drawn from now on is literal: no mathtext between `$`, no TeX."""
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for (empty when it cannot be read)."""
    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


def _font_paths(family: str) -> list[str]:
    """The installed files of a family name (none when it is not installed: matplotlib skips it too)."""
    return [f.fname for f in font_manager.fontManager.ttflist if f.name == family]


def _drawn(char: str) -> bool:
    """Whether a character needs a glyph (spaces and invisible format characters do not)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


@dataclass
class PageText:
    """Finds fonts for the texts given and remembers which characters none could print."""

    missing: set[str] = field(default_factory=set)

    def _covered(self) -> set[int]:
        """Code points the current sans-serif list (with any fallbacks added) can draw."""
        covered: set[int] = set()
        for family in matplotlib.rcParams["font.sans-serif"]:
            for path in _font_paths(family)[:1]:
                covered |= _charmap(path)
        return covered

    def _add_fallbacks(self, need: set[int]) -> set[int]:
        """Append installed fonts to the sans-serif list until `need` is covered; returns what is still missing."""
        candidates = sorted({(f.name, f.fname) for f in font_manager.fontManager.ttflist
                             if not f.name.startswith("Last Resort")})  # its "glyphs" are the boxes we avoid
        families = list(matplotlib.rcParams["font.sans-serif"])
        while need:
            best = max(candidates, key=lambda c: len(need & _charmap(c[1])), default=None)
            if best is None or not need & _charmap(best[1]):
                break
            need = need - _charmap(best[1])
            if best[0] not in families:
                families.append(best[0])
            candidates.remove(best)
        matplotlib.rcParams["font.sans-serif"] = families
        return need

    def printable(self, text: str | None) -> str | None:
        """The text with fonts ready for it; characters no installed font has become '?' (and are recorded)."""
        if not text:
            return text
        need = {ord(c) for c in text if _drawn(c)} - self._covered()
        if need:
            need = self._add_fallbacks(need)
        if not need:
            return text
        self.missing |= {chr(c) for c in need}
        return "".join(MISSING_MARK if ord(c) in need else c for c in text)

    def warning(self) -> str | None:
        """One line naming the characters printed as '?', or None."""
        if not self.missing:
            return None
        shown = "".join(sorted(self.missing))[:20]
        return (f"no font on this computer has the characters {shown}: they are printed as '{MISSING_MARK}' on the "
                "PDF/PNG page (the HTML report shows them); install a font that covers them (e.g. Noto Sans CJK) "
                "and run the report again")
