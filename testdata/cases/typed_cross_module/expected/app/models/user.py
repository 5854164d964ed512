"""User accounts."""
from typing import TYPE_CHECKING, List

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

if TYPE_CHECKING:
    from app.models.post import Post


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)

    posts: Mapped[List["Post"]] = relationship(
        back_populates="author", order_by="Post.id"
    )

    def latest_post(self) -> "Post | None":
        return self.posts[-1] if self.posts else None
