"""Blog models."""
from app import post, tag  # noqa: F401
