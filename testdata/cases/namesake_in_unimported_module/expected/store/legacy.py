"""Rows of the old catalogue, still read by reports."""
from sqlalchemy import Column, Integer, String

from store.base import Base


class Item(Base):
    __tablename__ = "legacy_items"

    id = Column(Integer, primary_key=True)
    code = Column(String(20))
