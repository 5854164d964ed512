from typing import TYPE_CHECKING, List
from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)


class OwnedMixin:
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def owner(cls) -> Mapped["User"]:
        return relationship("User", backref=cls.__name__.lower() + "s")


class Invoice(OwnedMixin, Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)


Tag = type(
    "Tag",
    (OwnedMixin, Base),
    {"__tablename__": "tags", "id": mapped_column(Integer, primary_key=True)},
)
