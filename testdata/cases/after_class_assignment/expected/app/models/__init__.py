"""Models; relationships between modules are wired in app.models.relations."""
from app.models import relations  # noqa: F401
from app.models.address import Address
from app.models.user import User

__all__ = ["Address", "User"]
