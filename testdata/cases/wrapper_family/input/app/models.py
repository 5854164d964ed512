from sqlalchemy import Column, ForeignKey, Integer, String

from app.base import Base
from app.orm import backref, relationship


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    posts = relationship("Post", backref=backref("author"))
    comments = relationship("Comment", backref="commenter")
    tags = relationship("app.tags.Tag", backref=backref("creator", uselist=False))


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))


class Draft(Base):
    __tablename__ = "drafts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    owner = relationship(User, backref=backref("drafts", lazy="dynamic"))


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
