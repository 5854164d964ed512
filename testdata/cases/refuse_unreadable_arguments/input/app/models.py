from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import backref, relationship

from app.base import Base

COMMON = {"lazy": "select"}
BACKREF_OPTIONS = {"lazy": "joined"}


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    author = relationship("User", backref="posts", **COMMON)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    post_id = Column(ForeignKey("posts.id"))
    author = relationship("User", backref=backref("comments", **BACKREF_OPTIONS))
    post = relationship("Post", backref="comments")
