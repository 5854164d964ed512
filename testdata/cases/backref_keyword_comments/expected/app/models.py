from typing import List

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posts: Mapped[List["Post"]] = relationship(
        back_populates="author",
        # the author's posts
        order_by="Post.id.desc()",  # newest first
        # deleting a user deletes their posts
        cascade="all, delete-orphan",
        # nothing else
    )


class Group(Base):
    __tablename__ = "groups"

    id = mapped_column(Integer, primary_key=True)
    posts = relationship("Post", back_populates="group", lazy="selectin")


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id = mapped_column(Integer, ForeignKey("users.id"))
    group_id = mapped_column(Integer, ForeignKey("groups.id"))
    author = relationship(
        User,
        back_populates="posts",
    )
    group = relationship(
        Group,
        back_populates="posts",  # this one stays on the forward
    )
