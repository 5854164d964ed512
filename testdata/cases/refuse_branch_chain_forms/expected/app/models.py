import os

from sqlalchemy import Column, ForeignKey, Integer
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
    # No else: when no branch runs, there is no backref.
    if DIALECT == "postgresql":
        author = relationship(User, backref="posts")
    elif DIALECT == "mysql":
        author = relationship(User, backref="posts")
    # The reverses differ (a collection loaded otherwise).
    if DIALECT == "postgresql":
        editor = relationship(User, backref=backref("edits", lazy="dynamic"))
    else:
        editor = relationship(User, backref="edits")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    # Only one branch declares the backref.
    if DIALECT == "postgresql":
        owner = relationship(User, backref="notes")
    else:
        owner = relationship(User)
    # Two branches, two attributes: the reverse cannot name both.
    if DIALECT == "postgresql":
        writer = relationship(User, backref="written")
    else:
        scribe = relationship(User, backref="written")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    # A chain inside another block runs only when that block does.
    if DIALECT != "none":
        if DIALECT == "postgresql":
            owner = relationship(User, backref="tags")
        else:
            owner = relationship(User, backref="tags")


class Review(Base):
    __tablename__ = "reviews"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    # The same reverse, but the backrefs are not written alike.
    if DIALECT == "postgresql":
        reviewer = relationship(User, backref=backref("reviews"))
    else:
        reviewer = relationship(User, backref="reviews")
