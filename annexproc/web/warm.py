"""Imported once by the fork server of the page's workers (``pool.PRELOAD``): one check of a blank
template, so that every worker forked from it, a restarted one too, starts with what a check imports."""
from __future__ import annotations

import os
import tempfile


def _warm() -> None:
    from ..params import Params
    from ..template import write_workbook
    from .app import Item, check_item
    with tempfile.TemporaryDirectory(prefix="annexproc-warm-") as tmp:
        path = write_workbook(os.path.join(tmp, "warm.xlsx"), Params())
        check_item(Item("warm.xlsx", path=path), "zh", tmp, 0)


try:
    _warm()
except Exception:   # NB: a cold worker is slower, never wrong
    pass
