from app.models.comment import Comment
from app.models.post import Post
from app.models.user import User

__all__ = ["Comment", "Post", "User"]
