from sqlalchemy import Column, ForeignKey, Integer
from vendorlib import orm

from app.base import Base
from app.models import User


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    user = orm.relationship(User, foreign_keys=[user_id], back_populates="items")
    buyer_id = Column(Integer, ForeignKey("users.id"))
    buyer = orm.relationship(User, foreign_keys=[buyer_id], back_populates="purchases")
