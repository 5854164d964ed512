from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    orders = relationship("Order", backref="customer")
    invoices = relationship("Invoice", backref="customer")


class Warehouse(Base):
    __tablename__ = "warehouses"
    id = Column(Integer, primary_key=True)
    orders = relationship("Order", backref="warehouse")


class Carrier(Base):
    __tablename__ = "carriers"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    carrier_id = Column(ForeignKey("carriers.id"))
    carrier = relationship("Carrier")
    customer_id = Column(ForeignKey("customers.id"))
    warehouse_id = Column(ForeignKey("warehouses.id"))
    note = Column(String(200))


class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    carrier_id = Column(ForeignKey("carriers.id"))
    customer_id = Column(ForeignKey("customers.id"))
    total = Column(Integer)

    carrier = relationship("Carrier")
