from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    notes = relationship("Note", back_populates="owner")
    invoices = relationship("Invoice", back_populates="owner")


class OwnedMixin:
    """Gives a model an owning user; User gets a `<model>s` collection."""

    @declared_attr
    def owner_id(cls):
        return Column(Integer, ForeignKey("users.id"), nullable=False)

    @declared_attr
    def owner(cls):
        return relationship("User", back_populates=cls.__name__.lower() + "s")


class Note(OwnedMixin, Base):
    __tablename__ = "notes"

    id = Column(Integer, primary_key=True)
    text = Column(Text)


class Invoice(OwnedMixin, Base):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
    amount = Column(Numeric(10, 2))
