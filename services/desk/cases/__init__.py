"""A unit's cases: the case and its moves, the list, the case page and API, evidence, arrivals."""
