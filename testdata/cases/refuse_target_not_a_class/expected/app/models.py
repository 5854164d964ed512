from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


MODELS = {"user": User}


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    author = relationship(MODELS["user"], backref="posts")
    comments = relationship("Comment", back_populates="post")


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("posts.id"))
    post = relationship("Post", back_populates="comments")
