"""Catalog joined on natural keys instead of foreign key constraints."""
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), unique=True, nullable=False)

    # orders.customer_code has no FK constraint (data comes from an ERP export).
    orders = relationship(
        "Order",
        primaryjoin="Customer.code == remote(foreign(Order.customer_code))",
        back_populates="customer",
    )


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_code = Column(String(20), index=True)
    customer = relationship(
        "Customer",
        back_populates="orders",
        primaryjoin="remote(Customer.code) == foreign(Order.customer_code)",
    )


class Category(Base):
    """Categories form a tree keyed by their path, e.g. "books/fiction"."""

    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    path = Column(String(255), unique=True, nullable=False)
    parent_path = Column(String(255))

    children = relationship(
        "Category",
        primaryjoin="Category.path == remote(foreign(Category.parent_path))",
        back_populates="parent",
    )
    parent = relationship(
        "Category",
        back_populates="children",
        primaryjoin="remote(Category.path) == foreign(Category.parent_path)",
    )

    def depth(self):
        return self.path.count("/")
