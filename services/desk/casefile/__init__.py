"""The case file for a hearing: one PDF per case, and the route that serves it."""
