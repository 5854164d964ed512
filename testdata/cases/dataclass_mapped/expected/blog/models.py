"""Dataclass-style typed models."""
from typing import List, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedAsDataclass, mapped_column, relationship


class Base(MappedAsDataclass, DeclarativeBase):
    """Every mapped class is also a dataclass."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str] = mapped_column(String(80))
    posts: Mapped[List["Post"]] = relationship(
        default_factory=list, back_populates="author"
    )


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    title: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    author = relationship("User", back_populates="posts")


def new_user(name: str, *titles: str) -> User:
    """Create a user together with a few posts."""
    user = User(name=name)
    user.posts.extend(Post(title=t) for t in titles)
    return user
