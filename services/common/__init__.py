"""Plumbing shared by every Netra service: settings, logging, the bus, the database, the object store."""
