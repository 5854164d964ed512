from app.models.base import Base
from app.models.post import Post
from app.models.user import User

__all__ = ["Base", "Post", "User"]
