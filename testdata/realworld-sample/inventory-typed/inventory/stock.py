from typing import Optional

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from inventory.base import Base
from inventory.catalog import Product


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]


class StockLevel(Base):
    __tablename__ = "stock_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(
        backref=backref("stock", cascade="all, delete-orphan", passive_deletes=True)
    )
    warehouse: Mapped[Optional[Warehouse]] = relationship(
        backref=backref("levels", uselist=True)
    )


def enable_audit():
    """Attach the audit trail once the audit tables are known."""
    from inventory.audit import AuditEntry

    Warehouse.audit_entries = relationship(AuditEntry, backref="warehouse")
