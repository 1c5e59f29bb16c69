"""A case's chain of steps: each body's step, its hand-off, the PPK's decision and its documents."""
