from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import backref, declarative_base, registry, relationship

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    orders = relationship("Order", order_by="Order.id", cascade="all", backref="buyer")
    invoices = relationship(
        "Invoice", backref=backref("customer", lazy="joined", innerjoin=False)
    )
    notes = relationship(
        "Note",
        backref="customer",
    )


class Order(Base):
    __tablename__ = "order"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))


class Shipment(Base):
    __tablename__ = "shipment"
    id = Column(Integer, primary_key=True)
    shipper_id = Column(ForeignKey("customer.id"))
    shipper = relationship(
        "Customer",
        foreign_keys=[shipper_id],
        primaryjoin="and_(Shipment.shipper_id == Customer.id, "
        "Customer.name != None, Customer.name != 'unknown shipper')",
        backref=backref("shipments", lazy="select"),
    )


class Invoice(Base):
    __tablename__ = "invoice"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))


class Note(Base):
    __tablename__ = "note"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"))


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
    Label, labels, properties={"bin": relationship(Bin, backref="labels")}
)
reg.map_imperatively(
    Bin,
    bins,
    properties={
        "warehouse": relationship(Warehouse)  # many-to-one
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
            backref=backref(
                "crates_stored_here", order_by=crates.c.id, cascade="all, delete-orphan"
            ),
        ),
    },
)
reg.map_imperatively(
    Shelf,
    shelves,
)
