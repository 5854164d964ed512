from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric

from shop.models.base import Base
from sqlalchemy.orm import backref, relationship


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    placed_at = Column(DateTime, nullable=False)

    lines = relationship("OrderLine", backref="order", cascade="all, delete-orphan")


class OrderLine(Base):
    __tablename__ = "order_lines"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)
    price = Column(Numeric(10, 2), nullable=False)

    product = relationship("Product", backref=backref("order_lines", lazy="dynamic"))
