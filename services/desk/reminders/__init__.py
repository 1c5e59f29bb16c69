"""Scheduled mails to units: the daily digest of due cases and escalation of overdue ones."""
