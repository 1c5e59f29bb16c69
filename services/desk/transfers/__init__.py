"""Moving a case to another unit within its step: the pages and the notice to the unit's head."""
