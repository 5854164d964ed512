"""User accounts and e-mail addresses (SQLAlchemy 1.4 style with annotations)."""
from typing import List, Optional

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(80), nullable=False)
    nickname: Mapped[Optional[str]] = Column(String(40))

    # Addresses in the order they were added.
    addresses: Mapped[List["Address"]] = relationship(
        "Address", backref="user", order_by="Address.id"
    )

    def emails(self) -> List[str]:
        return [a.email for a in self.addresses]


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = Column(Integer, primary_key=True)
    email: Mapped[str] = Column(String(120), nullable=False)
    user_id: Mapped[int] = Column(Integer, ForeignKey("users.id"), nullable=False)

    def domain(self) -> str:
        return self.email.rsplit("@", 1)[-1]
