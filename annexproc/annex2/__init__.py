"""附件2 人员到岗情况: locating the staffing grid (``locate``), the people behind its rows (``roster``),
reading it (``reader.read``: the model, no findings) and the rules over it (``rules``).

``annexproc.annex2.read(book, params)`` gives a Model whose ``annex2`` is a :class:`~.reader.Staffing`:
the located ``StaffingLayout``, one ``Worker`` per person (rows merged through ``同N`` or the same name,
with the contract and the dates read from 备注, the districts named by 职位, and every month's cells),
the official derived cells with their values, the agreed headcount and where it came from, and the
workers on post every month. ``figures['workers']`` carries the same roster as plain dicts.
"""
from .reader import read

__all__ = ["read"]
