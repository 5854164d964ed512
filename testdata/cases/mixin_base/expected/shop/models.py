from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class TimestampMixin:
    """Adds creation and update timestamps."""

    created_at = Column(DateTime, default=datetime.utcnow, nullable=False)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)


class Model(Base):
    __abstract__ = True

    id = Column(Integer, primary_key=True)

    def to_dict(self):
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}


class Customer(TimestampMixin, Model):
    __tablename__ = "customers"

    name = Column(String(80), nullable=False)
    orders = relationship("Order", back_populates="customer")


class Order(TimestampMixin, Model):
    __tablename__ = "orders"

    reference = Column(String(20), unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)

    customer = relationship("Customer", back_populates="orders")
