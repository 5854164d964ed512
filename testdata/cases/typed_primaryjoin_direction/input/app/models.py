from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100), unique=True)


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str] = mapped_column(String(100))

    # Joined on the e-mail, with the user's side the foreign one: one address
    # has many users of that e-mail, each user one address by it.
    users_by_email: Mapped[list[User]] = relationship(
        primaryjoin="foreign(User.email) == Address.email",
        viewonly=True,
        backref="address_by_email",
    )
