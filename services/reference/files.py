"""The data files that several services read, shipped in services/reference/data/.

- units.yaml: the units directory; routing routes to its units and the desk names them
  (written by `python -m services.routing.build_units`).
- legal_basis.yaml, deadlines.yaml, bkn_offices.yaml: today's law; routing decides with it, the unit mail and
  the desk put its codes into words (law_wording.py).
- vocabulary.yaml: every code with its words (vocabulary.py).
"""
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
UNITS_FILE = DATA / "units.yaml"
