from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from inventory.base import mapper_registry

suppliers = Table(
    "suppliers",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80)),
)

shipments = Table(
    "shipments",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("supplier_id", ForeignKey("suppliers.id")),
)

audit_entries = Table(
    "audit_entries",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("warehouse_id", ForeignKey("warehouses.id")),
    Column("note", String(200)),
)


class Supplier:
    pass


class Shipment:
    pass


class AuditEntry:
    pass


mapper_registry.map_imperatively(
    Supplier,
    suppliers,
    properties={"shipments": relationship(Shipment, backref="supplier")},
)
mapper_registry.map_imperatively(Shipment, shipments)
mapper_registry.map_imperatively(AuditEntry, audit_entries)
