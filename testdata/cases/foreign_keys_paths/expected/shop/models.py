"""Customers with separate billing and shipping addresses."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    street = Column(String(120))
    city = Column(String(60))
    zip_code = Column(String(10))
    billed_customers = relationship(
        "Customer",
        back_populates="billing_address",
        foreign_keys="[Customer.billing_address_id]",
    )
    shipped_customers = relationship(
        "Customer",
        back_populates="shipping_address",
        foreign_keys="[Customer.shipping_address_id]",
    )

    def one_line(self):
        return ", ".join(filter(None, [self.street, self.zip_code, self.city]))


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    billing_address_id = Column(Integer, ForeignKey("addresses.id"))
    shipping_address_id = Column(Integer, ForeignKey("addresses.id"))

    billing_address = relationship(
        "Address", foreign_keys=[billing_address_id], back_populates="billed_customers"
    )
    shipping_address = relationship(
        "Address",
        foreign_keys=[shipping_address_id],
        back_populates="shipped_customers",
    )
