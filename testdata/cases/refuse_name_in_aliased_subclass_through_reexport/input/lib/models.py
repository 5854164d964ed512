from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from lib.base import Base


class Author(Base):
    __tablename__ = "authors"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20))

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "author"}


class Book(Base):
    __tablename__ = "books"

    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("authors.id"))

    author = relationship(Author, backref="books")
