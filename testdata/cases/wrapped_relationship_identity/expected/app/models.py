from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

from vendorlib.notes import annotated

from .roles import with_roles

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    posts = with_roles(relationship("Post", back_populates="author"), read={"all"})
    comments = annotated(
        relationship("Comment", back_populates="commenter"),
        label="comments",
    )


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    author = relationship("User", back_populates="posts")


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    commenter = relationship("User", back_populates="comments", lazy="joined")
