from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

import app.audit  # noqa: F401  (defines the *AuditEntry classes)
from app.base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    audit_log = relationship("UserAuditEntry", backref="subject")


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    reference = Column(String(20))

    audit_log = relationship("OrderAuditEntry", backref="subject")
