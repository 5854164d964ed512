"""Blog models."""
