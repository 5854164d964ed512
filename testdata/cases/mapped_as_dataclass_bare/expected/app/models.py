from typing import List, Optional

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, registry, relationship

reg = registry()


@reg.mapped_as_dataclass
class User:
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str] = mapped_column(default="")
    posts: Mapped[List["Post"]] = relationship(
        default_factory=list, back_populates="author"
    )


@reg.mapped_as_dataclass
class Post:
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(default="")
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    author = relationship("User", back_populates="posts")
