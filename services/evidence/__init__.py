"""evidence: checks each original deeply, writes the sanitised copy and the manifest, announces the evidence."""
