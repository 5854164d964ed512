import os

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
DIALECT = os.environ.get("DIALECT", "sqlite")


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = relationship("Post", back_populates="author")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    tags = relationship(
        "Tag", back_populates="post", order_by="Tag.name", cascade="all, delete-orphan"
    )
    if DIALECT == "postgresql":
        author = relationship(User, back_populates="posts", lazy="selectin")
    else:
        author = relationship(User, back_populates="posts")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    post_id = Column(Integer, ForeignKey("posts.id"))
    if DIALECT == "postgresql":
        post = relationship(
            Post,
            back_populates="tags",
            lazy="joined",
        )
    elif DIALECT == "mysql":
        post = relationship(
            "Post",
            back_populates="tags",
        )
    else:
        # the default: loaded when read
        post = relationship(
            Post,
            back_populates="tags",
            lazy="select",
        )
