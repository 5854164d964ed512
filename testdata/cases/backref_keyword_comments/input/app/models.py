from typing import List

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, backref, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Group(Base):
    __tablename__ = "groups"

    id = mapped_column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id = mapped_column(Integer, ForeignKey("users.id"))
    group_id = mapped_column(Integer, ForeignKey("groups.id"))
    author = relationship(
        User,
        backref=backref(
            "posts",  # the author's posts
            order_by="Post.id.desc()",  # newest first
            # deleting a user deletes their posts
            cascade="all, delete-orphan",
            # nothing else
        ),
    )
    group = relationship(
        Group,
        backref=backref("posts", lazy="selectin"),  # this one stays on the forward
    )
