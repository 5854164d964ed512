"""Users and their orders.

The relationship between the two is attached after both classes exist, so
that neither class body refers to the other.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    placed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    def is_large(self) -> bool:
        return self.total >= 1000


# Attached here rather than in User to avoid a reference cycle between the class bodies.
User.orders = relationship("Order", backref="customer", order_by=Order.placed_at)
