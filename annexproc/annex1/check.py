"""附件1's rules on their own, as one call (tests, tools): read 附件1 into the context's model, run its rules.

The engine does not use this: it reads every annex (engine.read) and runs the selected rule functions
(checks.plan). ``run(ctx)`` leaves on ``ctx`` what the engine would for 附件1 alone: the model's
``annex1_1``/``annex1_2``/``annex1`` (``ctx.located`` reads them by their old keys), the derived cells,
``figures['completion']``, ``figures['annex1_totals']``, ``figures['annex1_sentence']`` and the station.
"""
from __future__ import annotations

from ..derived import formula_refs
from ..rulebook import a1 as _a1
from ..rulebook import selected

__all__ = ["CODES", "formula_refs", "run"]

#: The codes 附件1 gives on its own: its family, and the reading codes said of its cells.
CODES = tuple(r.code for r in _a1.RULES) + ("RD02", "RD03", "RD04", "RD05", "RD06", "RD07", "RD12", "RD13")


def run(ctx) -> None:
    from ..engine import read, run_rules
    read(ctx, ("annex1",))
    run_rules(ctx, CODES)
    ctx.findings[:] = [f for f in ctx.findings if selected(f.rule, CODES)]
