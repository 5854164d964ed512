import os

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()
DIALECT = os.environ.get("DIALECT", "sqlite")


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    if DIALECT == "postgresql":
        author = relationship(User, backref="posts", lazy="selectin")
    else:
        author = relationship(User, backref="posts")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    post_id = Column(Integer, ForeignKey("posts.id"))
    if DIALECT == "postgresql":
        post = relationship(
            Post,
            backref=backref("tags", order_by="Tag.name", cascade="all, delete-orphan"),
            lazy="joined",
        )
    elif DIALECT == "mysql":
        post = relationship(
            "Post",
            backref=backref("tags", order_by="Tag.name", cascade="all, delete-orphan"),
        )
    else:
        # the default: loaded when read
        post = relationship(
            Post,
            backref=backref("tags", order_by="Tag.name", cascade="all, delete-orphan"),
            lazy="select",
        )
