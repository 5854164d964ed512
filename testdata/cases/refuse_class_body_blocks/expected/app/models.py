import os

from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
FEATURE = os.environ.get("FEATURE") == "1"


def with_roles(obj, **roles):
    obj.info.update(roles)
    return obj if roles else None


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = with_roles(relationship("Post", backref="author"), read={"all"})
    if FEATURE:
        tags = relationship("Tag", backref="owner")
    try:
        notes = relationship("Note", backref="writer")
    except Exception:
        pass
    other = relationship("Post", backref="x") if FEATURE else None


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
