"""The declarative specs of the annexes: one per annex, driving reading, checking and writing."""
from .annex1 import ANNEX1_1, ANNEX1_2
from .annex2 import ANNEX2

__all__ = ["ANNEX1_1", "ANNEX1_2", "ANNEX2"]
