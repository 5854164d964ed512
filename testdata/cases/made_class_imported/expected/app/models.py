from sqlalchemy import Column, Integer
from sqlalchemy.orm import relationship

from app.base import FEATURE, Base
from app.tags import Flag, Tag


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


User.tags = relationship(Tag, back_populates="user")
Tag.user = relationship(User, back_populates="tags")
if FEATURE:
    Flag.user = relationship(User, backref="flags")
