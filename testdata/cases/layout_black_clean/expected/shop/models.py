from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import declarative_base, registry, relationship

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    orders = relationship(
        "Order", order_by="Order.id", cascade="all", back_populates="buyer"
    )
    invoices = relationship("Invoice", back_populates="customer")
    notes = relationship(
        "Note",
        back_populates="customer",
    )
    shipments = relationship(
        "Shipment",
        back_populates="shipper",
        primaryjoin="and_(Shipment.shipper_id == Customer.id, "
        "Customer.name != None, Customer.name != 'unknown shipper')",
        foreign_keys="[Shipment.shipper_id]",
        lazy="select",
    )


class Order(Base):
    __tablename__ = "order"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))
    buyer = relationship("Customer", back_populates="orders")


class Shipment(Base):
    __tablename__ = "shipment"
    id = Column(Integer, primary_key=True)
    shipper_id = Column(ForeignKey("customer.id"))
    shipper = relationship(
        "Customer",
        foreign_keys=[shipper_id],
        primaryjoin="and_(Shipment.shipper_id == Customer.id, "
        "Customer.name != None, Customer.name != 'unknown shipper')",
        back_populates="shipments",
    )


class Invoice(Base):
    __tablename__ = "invoice"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))
    customer = relationship(
        "Customer", back_populates="invoices", lazy="joined", innerjoin=False
    )


class Note(Base):
    __tablename__ = "note"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))
    customer = relationship("Customer", back_populates="notes")


reg = registry()
warehouses = Table("warehouse", reg.metadata, Column("id", Integer, primary_key=True))
bins = Table(
    "bin",
    reg.metadata,
    Column("id", Integer, primary_key=True),
    Column("warehouse_id", ForeignKey("warehouse.id")),
)
labels = Table(
    "label",
    reg.metadata,
    Column("id", Integer, primary_key=True),
    Column("bin_id", ForeignKey("bin.id")),
)


class Warehouse:
    pass


class Bin:
    pass


class Label:
    pass


reg.map_imperatively(Warehouse, warehouses)
reg.map_imperatively(
    Label, labels, properties={"bin": relationship(Bin, back_populates="labels")}
)
reg.map_imperatively(
    Bin,
    bins,
    properties={
        "warehouse": relationship(Warehouse),  # many-to-one
        "labels": relationship(Label, back_populates="bin"),
    },
)

shelves = Table("shelf", reg.metadata, Column("id", Integer, primary_key=True))
crates = Table(
    "crate",
    reg.metadata,
    Column("id", Integer, primary_key=True),
    Column("shelf_id", ForeignKey("shelf.id")),
)


class Shelf:
    pass


class Crate:
    pass


reg.map_imperatively(
    Crate,
    crates,
    properties={
        "shelf": relationship(
            Shelf,
            back_populates="crates_stored_here",
        ),
    },
)
reg.map_imperatively(
    Shelf,
    shelves,
    properties={
        "crates_stored_here": relationship(
            Crate,
            back_populates="shelf",
            order_by=crates.c.id,
            cascade="all, delete-orphan",
        ),
    },
)
