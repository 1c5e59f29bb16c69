"""Exports, figures and the audit log in words: what a unit and a supervisor read about cases."""
