from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base


class Tag(Base): __tablename__ = "tags"; id = Column(Integer, primary_key=True)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Label(Base):
    __tablename__ = "labels"
    id = Column(Integer, primary_key=True)
    tag_id = Column(ForeignKey("tags.id"))
    user_id = Column(ForeignKey("users.id"))
    tag = relationship("Tag", backref="labels")
    user = relationship("User", backref="labels")
