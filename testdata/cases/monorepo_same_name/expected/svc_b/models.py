from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    """Warehouse staff member."""

    __tablename__ = "staff"

    id = Column(Integer, primary_key=True)
    login = Column(String(40), unique=True)
    handled_orders = relationship("Order", back_populates="handler")


class Order(Base):
    """A shipment order handled by a staff member."""

    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    tracking = Column(String(40))
    handler_id = Column(Integer, ForeignKey("staff.id"))

    handler = relationship("User", back_populates="handled_orders")
