"""Read-only mapping of the old tagging database."""
