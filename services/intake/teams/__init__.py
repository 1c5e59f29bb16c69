"""Monitoring teams: API keys, the batch template and manifest, and batches of findings."""
