from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import backref, relationship

from shop.models.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(200), unique=True, nullable=False)

    # Orders are listed newest first; Order.customer comes from the backref.
    orders = relationship(
        "Order",
        order_by="Order.placed_at.desc()",
        cascade="all, delete-orphan",
        backref=backref("customer", lazy="joined"),
    )

    def __repr__(self):
        return f"<Customer {self.email}>"
