"""intake: the citizen's form and API, /lacak, monitoring teams, and the sealed identity; the wiring and its feature folders."""
