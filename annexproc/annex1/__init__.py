"""附件1-1 and 附件1-2: locating them by their header texts (``locate``), reading them (``reader.read``:
the model, no findings) and the rules over them (``rules``)."""
from .reader import read

__all__ = ["read"]
