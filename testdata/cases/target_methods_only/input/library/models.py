"""Books, their authors and publishers."""
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Author(Base):
    """A person who wrote at least one book."""

    __tablename__ = "authors"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(60), nullable=False)
    last_name = Column(String(60), nullable=False)

    def __repr__(self):
        return "<Author {} {}>".format(self.first_name, self.last_name)

    def initials(self):
        """First letters of first and last name, e.g. 'J.A.'."""
        return "{}.{}.".format(self.first_name[:1], self.last_name[:1])

    # Used by the catalogue export.
    def bibliography(self):
        return sorted(book.title for book in self.books)

    @property
    def full_name(self):
        return "{} {}".format(self.first_name, self.last_name)


class Publisher(Base):
    """A publishing house."""

    __tablename__ = "publishers"

    id = Column(Integer, primary_key=True)

    @classmethod
    def by_id(cls, session, publisher_id):
        return session.scalars(select(cls).where(cls.id == publisher_id)).one()


class Book(Base):
    __tablename__ = "books"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    author_id = Column(Integer, ForeignKey("authors.id"), nullable=False)
    publisher_id = Column(Integer, ForeignKey("publishers.id"))

    author = relationship("Author", backref="books")
    publisher = relationship(Publisher, backref="books")
