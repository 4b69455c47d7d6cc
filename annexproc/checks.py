"""The rule functions, each registered with the codes it can emit; which of them a selection runs, in what order.

A rule function takes the check's context (``engine.Context``: the model, the parameters, ``flag``) and
emits findings of its own codes. ``after`` names codes whose findings (or what their function leaves on the
context) it needs: their functions run first, whenever it runs. ``amends`` names codes whose findings it may
rewrite (a cause given the cells it changes and made an error, a note re-coded A109): it runs after their
functions, and whenever one of them is selected, so that a selected finding reads as in a full check.
"""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from .rulebook import selected

#: The modules holding rule functions (imported when the registry is first read). NB: functions that do not
#: wait on each other run in this order, then as each module defines them: the findings come in the order
#: they always have (the notes and unreadable values of a table before its derived cells).
MODULES = ("annexproc.readnotes", "annexproc.annex1.rules", "annexproc.annex1.derived_rules", "annexproc.annex2.rules",
           "annexproc.annex2.derived_rules", "annexproc.ledger.check", "annexproc.crosscheck")


@dataclass(frozen=True, slots=True)
class Check:
    """One rule function: its codes, the codes it needs first and those it rewrites, where it lives."""
    codes: tuple[str, ...]
    after: tuple[str, ...]
    amends: tuple[str, ...]
    module: str
    function: str

    @property
    def name(self) -> str:
        return f"{self.module.removeprefix('annexproc.')}.{self.function}"

    def __call__(self, ctx) -> None:
        # NB: looked up on each run, so that a test may replace the function in its module
        getattr(sys.modules[self.module], self.function)(ctx)


_CHECKS: dict[str, Check] = {}


def rule(*codes: str, after: tuple[str, ...] = (), amends: tuple[str, ...] = ()):
    """Register the decorated function as the one that emits ``codes``."""
    def register(fn):
        ck = Check(codes, tuple(after), tuple(amends), fn.__module__, fn.__name__)
        _CHECKS[ck.name] = ck
        return fn
    return register


def all_checks() -> list[Check]:
    """Every rule function: by module (MODULES), then in the order each module defines them."""
    for m in MODULES:
        importlib.import_module(m)
    return sorted(_CHECKS.values(), key=lambda ck: MODULES.index(ck.module) if ck.module in MODULES else len(MODULES))


def owners() -> dict[str, Check]:
    """{code: the rule function that emits it}."""
    return {code: ck for ck in all_checks() for code in ck.codes}


def plan(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[Check]:
    """The rule functions a selection needs; each runs once the functions it needs or amends have,
    else in registration order (NB: a function waits for what it reads; it never pulls others forward)."""
    by_code = owners()
    todo = [ck for ck in all_checks() if any(selected(c, select, ignore) for c in ck.codes + ck.amends)]
    need: set[Check] = set()
    while todo:
        ck = todo.pop()
        if ck not in need:
            need.add(ck)
            todo.extend(by_code[code] for code in ck.after)
    waiting, out = [ck for ck in all_checks() if ck in need], []
    while waiting:
        ready = next((ck for ck in waiting if all(by_code[c] in out or by_code[c] not in need
                                                  for c in ck.after + ck.amends)), None)
        if ready is None:
            raise ValueError(f"rule functions wait on each other: {', '.join(ck.name for ck in waiting)}")
        out.append(ready)
        waiting.remove(ready)
    return out
