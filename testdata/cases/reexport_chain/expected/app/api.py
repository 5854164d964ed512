"""The names other modules use."""
from app.core import Person

__all__ = ["Person"]
