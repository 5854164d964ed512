from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from lib.api import Author as Writer
from lib.base import Base


class VisitingAuthor(Writer):
    __mapper_args__ = {"polymorphic_identity": "visitor"}

    @property
    def books(self):
        return ()


class Guestbook(Base):
    __tablename__ = "guestbooks"

    id = Column(Integer, primary_key=True)
    title = Column(String(100))
    entries = relationship("Entry", back_populates="guestbook")


class Entry(Base):
    __tablename__ = "entries"

    id = Column(Integer, primary_key=True)
    guestbook_id = Column(Integer, ForeignKey("guestbooks.id"))

    guestbook = relationship(Guestbook, back_populates="entries")
