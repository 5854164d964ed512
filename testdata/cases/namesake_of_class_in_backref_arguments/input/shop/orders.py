from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import backref, relationship

from shop.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(100))


class Stamp(Base):
    __tablename__ = "stamps"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"))
    stamp_id = Column(Integer, ForeignKey("stamps.id"))

    customer = relationship(Customer, backref=backref("orders", order_by=Stamp.at))
