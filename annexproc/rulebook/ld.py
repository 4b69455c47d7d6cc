"""ld rules."""
from . import Rule  # noqa: F401

RULES: tuple = ()
