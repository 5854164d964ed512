"""The names other packages import."""
from lib.models import Author

__all__ = ["Author"]
