from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base
from app.helpers import eager_backref, rel


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    author = rel("User", backref="posts")
    comments = relationship("Comment", back_populates="post")


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    post_id = Column(ForeignKey("posts.id"))
    author = relationship("User", backref=eager_backref("comments"))
    post = relationship("Post", back_populates="comments")
