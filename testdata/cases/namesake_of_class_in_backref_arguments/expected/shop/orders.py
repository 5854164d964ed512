from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from shop.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(100))
    orders = relationship(
        "Order", back_populates="customer", order_by="shop.orders.Stamp.at"
    )


class Stamp(Base):
    __tablename__ = "stamps"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"))
    stamp_id = Column(Integer, ForeignKey("stamps.id"))

    customer = relationship(Customer, back_populates="orders")
