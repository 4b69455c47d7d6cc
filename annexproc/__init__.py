"""annexproc: read, recompute, check and annotate the annexes of Guangzhou's 社工服务站.

The public API is imported lazily so that ``annexproc check`` does not pay for pandas.
"""
from __future__ import annotations

__version__ = "0.1.0"
# NB: RULESET_VERSION, printed in every annotated copy, is derived from the rule registry
# (rulebook.ruleset_version): it changes whenever a rule does, and costs nothing until asked for.

__all__ = ["check", "check_many", "read_annex1", "read_staffing", "recompute", "findings_frame",
           "__version__", "RULESET_VERSION"]


def __getattr__(name: str):
    # NOTE: lazy imports keep `import annexproc` (and the CLI start-up) light.
    if name in ("check", "check_many"):
        from . import engine
        return getattr(engine, name)
    if name in ("read_annex1", "read_staffing", "findings_frame"):
        from . import tabular
        return getattr(tabular, name)
    if name == "RULESET_VERSION":
        from .rulebook import ruleset_version
        globals()[name] = value = ruleset_version()
        return value
    if name == "recompute":
        from .recompute import recompute
        return recompute
    raise AttributeError(name)
