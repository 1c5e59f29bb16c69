"""Reference data every edge shares: codes with their words (vocabulary) and the Kemendagri regions.

Data, not plumbing and not event definitions: the codes travel on the wire, the words are shown at the
edges (the form, the API, the mails, the desk).
"""
