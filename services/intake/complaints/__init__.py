"""A citizen's complaint: the form's API, its checks, the uploads, the receipt, the record."""
