"""Warehouses and the items stored in them."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import (
    DeclarativeBase,
    DynamicMapped,
    Mapped,
    mapped_column,
    relationship,
)


class Base(DeclarativeBase):
    pass


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    items: DynamicMapped["Item"] = relationship(
        back_populates="warehouse", lazy="dynamic"
    )


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(default=0)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))

    # A warehouse holds many thousands of items: query them, don't load them.
    warehouse: Mapped["Warehouse"] = relationship(back_populates="items")

    def in_stock(self) -> bool:
        return self.quantity > 0
