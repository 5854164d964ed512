from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app import orm as helpers
from app.base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    settings = relationship("Setting")
    posts = helpers.relationship("Post", back_populates="user", lazy="dynamic")


class Setting(Base):
    __tablename__ = "settings"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship(User, back_populates="posts")
