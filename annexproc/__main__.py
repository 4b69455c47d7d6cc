"""``python -m annexproc`` runs the command line."""
from .cli import main

main()
