from typing import TYPE_CHECKING, List
from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    notes = relationship("Note", back_populates="owner")
    invoices = relationship("Invoice", back_populates="owner")


class OwnedMixin:
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def owner(cls) -> Mapped["User"]:
        return relationship("User", back_populates=cls.__name__.lower() + "s")


class Note(OwnedMixin, Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # for type checkers only; the declared_attr still runs for Note
    owner: Mapped["User"]


class Invoice(OwnedMixin, Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
