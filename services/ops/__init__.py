"""Operators' tools: backup and restore, the reconciler, the scheduler."""
