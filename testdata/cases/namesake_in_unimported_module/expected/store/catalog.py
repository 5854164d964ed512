from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from store.base import Base


class Shelf(Base):
    __tablename__ = "shelves"

    id = Column(Integer, primary_key=True)
    label = Column(String(50))
    items = relationship("store.catalog.Item", back_populates="shelf")


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True)
    shelf_id = Column(Integer, ForeignKey("shelves.id"))

    shelf = relationship(Shelf, back_populates="items")
