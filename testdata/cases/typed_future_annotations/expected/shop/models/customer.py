"""Customers."""
from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.models.base import Base

if TYPE_CHECKING:
    from shop.models.order import Order


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[Optional[str]] = mapped_column(String(30))

    # Order history, oldest first.
    orders: Mapped[List[Order]] = relationship(
        back_populates="customer", order_by="Order.id"
    )

    def open_orders(self) -> List[Order]:
        return [o for o in self.orders if not o.shipped]
