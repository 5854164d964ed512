"""Audit trail."""
from sqlalchemy import Column, Integer, String

from shop.base import Base


class Stamp(Base):
    __tablename__ = "audit_stamps"

    id = Column(Integer, primary_key=True)
    who = Column(String(50))
