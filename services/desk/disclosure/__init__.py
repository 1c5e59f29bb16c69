"""A reporter's identity for the bodies entitled to it, by request.

An officer of a body the rules allow (services/reference/data/disclosure.yaml) asks, with a reason and a legal
basis (`rules.py`); the identity custodian, a desk role, approves or refuses with a reason; an approval goes
to intake as identity.disclosure_approved, and intake answers identity.disclosed with the identity sealed to
the desk's disclosure key (`arrivals.py`); the officer who asked sees it once (`store.py`, `pages.py`).
Every step writes the desk's audit log.
"""
