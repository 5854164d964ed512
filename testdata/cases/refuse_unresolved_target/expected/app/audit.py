"""Audit tables are generated from a template, one per audited entity."""
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, func

from app.base import Base


def make_audit_model(entity, parent_table):
    """Build a mapped audit class for `entity` pointing at `parent_table`."""
    name = entity + "AuditEntry"
    attrs = {
        "__tablename__": entity.lower() + "_audit",
        "id": Column(Integer, primary_key=True),
        "action": Column(String(20), nullable=False),
        "at": Column(DateTime, server_default=func.now()),
        "subject_id": Column(Integer, ForeignKey(parent_table + ".id")),
    }
    return type(name, (Base,), attrs)


_generated = {
    entity: make_audit_model(entity, table)
    for entity, table in [("User", "users"), ("Order", "orders")]
}
