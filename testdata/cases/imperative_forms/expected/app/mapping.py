"""Classical mappings for the domain classes."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import registry, relationship

from app.domain import Address, AuditEntry, AuditLog, Invoice, Keyword, Node, Order, User

reg = registry()
metadata = reg.metadata

users = Table("users", metadata, Column("id", Integer, primary_key=True))
addresses = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)
keywords = Table("keywords", metadata, Column("id", Integer, primary_key=True))
address_keywords = Table(
    "address_keywords",
    metadata,
    Column("address_id", ForeignKey("addresses.id"), primary_key=True),
    Column("keyword_id", ForeignKey("keywords.id"), primary_key=True),
)
orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)
invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
    Column("order_id", ForeignKey("orders.id")),
)
nodes = Table(
    "nodes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("nodes.id")),
    Column("name", String(30)),
)

reg.map_imperatively(
    User,
    users,
    properties={
        "addresses": relationship(
            Address,
            back_populates="user",
            order_by=addresses.c.id,
        ),
        "orders": relationship(Order, back_populates="customer"),
        "invoices": relationship(Invoice, back_populates="user")
    },
)
reg.map_imperatively(
    Address,
    addresses,
    properties=dict(
        keywords=relationship(
            Keyword, secondary=address_keywords, back_populates="addresses"
        ),
        user=relationship(User, back_populates="addresses", lazy="joined"),
    ),
)
reg.map_imperatively(
    Keyword,
    keywords,
    properties={
        "addresses": relationship(
            Address, back_populates="keywords", secondary=address_keywords
        ),
    },
)
reg.map_imperatively(
    Order,
    orders,
    properties={
        "invoices": relationship(Invoice, back_populates="order"),
        "customer": relationship(User, back_populates="orders"),
    },
)
reg.map_imperatively(
    Invoice,
    invoices,
    properties={
        "user": relationship(User, back_populates="invoices"),
        "order": relationship(Order, back_populates="invoices"),
    },
)
reg.map_imperatively(
    Node,
    nodes,
    properties={
        "children": relationship(Node, back_populates="parent"),
        "parent": relationship(
            Node, back_populates="children", remote_side=[nodes.c.id]
        ),
    },
)


def map_audit(registry_):
    """Audit tables live in their own registry."""
    logs = Table("audit_logs", registry_.metadata, Column("id", Integer, primary_key=True))
    entries = Table(
        "audit_entries",
        registry_.metadata,
        Column("id", Integer, primary_key=True),
        Column("log_id", ForeignKey("audit_logs.id")),
    )
    registry_.map_imperatively(
        AuditLog,
        logs,
        properties={"entries": relationship(AuditEntry, back_populates="log")},
    )
    registry_.map_imperatively(
        AuditEntry,
        entries,
        properties={"log": relationship(AuditLog, back_populates="entries")},
    )


map_audit(registry())
