"""Excel's arithmetic where it differs from Python's: rounding and display precision."""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

_DECIMALS = re.compile(r"[0#]\.([0#]+)")


def xl_round(x: float, places: int = 0) -> float:
    """ROUND as Excel does it: half away from zero, on the decimal the user sees.

    NB: Python's round() is banker's rounding on the binary value; 1757/800*100 = 219.625 must give
    219.63, as Excel shows. Going through repr() (15–17 significant digits) matches Excel, which
    rounds to 15 significant digits before it rounds to places.
    """
    if x is None or isinstance(x, bool) or not math.isfinite(x):
        return x
    d = Decimal(repr(float(x)))
    d = Decimal(format(d, ".15g")) if d != 0 else d
    q = Decimal(1).scaleb(-places)
    return float(d.quantize(q, rounding=ROUND_HALF_UP))


def format_places(number_format: str | None) -> tuple[int | None, bool]:
    """Decimals a number format shows, and whether it is a percentage.

    '0.00%' → (2, True); '0' → (0, False); 'General' or unknown → (None, False): full precision.
    """
    if not number_format or number_format == "General":
        return None, False
    fmt = number_format.split(";")[0]
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt)
    pct = "%" in fmt
    m = _DECIMALS.search(fmt)
    if m:
        return len(m.group(1)), pct
    if re.search(r"[0#]", fmt):
        return 0, pct
    return None, pct


def shown(x: float, number_format: str | None) -> float:
    """The value as the number format displays it (a percentage keeps its ratio scale)."""
    places, pct = format_places(number_format)
    if places is None:
        return x
    if pct:
        return xl_round(x * 100, places) / 100
    return xl_round(x, places)


def same_shown(a: float, b: float, number_format: str | None) -> bool:
    """Do two numbers display the same under this format? Unformatted: equal to 1e-9."""
    places, pct = format_places(number_format)
    if places is None:
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    if pct:
        return xl_round(a * 100, places) == xl_round(b * 100, places)
    return xl_round(a, places) == xl_round(b, places)


def pct_text(x: float, places: int = 2) -> str:
    """0.21963 → '219.63%'... as Excel's 0.00% shows it."""
    return f"{xl_round(x * 100, places):.{places}f}%"


def num_text(x) -> str:
    """A count as a person writes it: 133, 27.5 (no trailing .0)."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return repr(xl_round(x, 10))
    return str(x)
