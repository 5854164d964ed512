from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    likes = relationship("Like", back_populates="user")


def attach(cls, name, prop):
    setattr(cls, name, prop)


def make_post(base):
    class Post(base):
        __tablename__ = "posts"
        id = Column(Integer, primary_key=True)
        user_id = Column(ForeignKey("users.id"))

    attach(Post, "author", relationship(User, backref="posts"))
    return Post


Post = make_post(Base)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    post_id = Column(ForeignKey("posts.id"))


attach(Comment, "author", relationship(User, backref="comments"))  # backpop: ignore[BP009]


class Like(Base):
    __tablename__ = "likes"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User", back_populates="likes")
