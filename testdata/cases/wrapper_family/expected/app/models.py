import vendorlib.orm
from sqlalchemy import Column, ForeignKey, Integer, String, orm

from app.base import Base
from app.orm import relationship


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    posts = relationship("Post", back_populates="author")
    comments = relationship("Comment", back_populates="commenter")
    tags = relationship("app.tags.Tag", back_populates="creator")
    items = vendorlib.orm.relationship(
        "Item", back_populates="user", foreign_keys="[Item.user_id]"
    )
    purchases = vendorlib.orm.relationship(
        "Item", back_populates="buyer", foreign_keys="[Item.buyer_id]", lazy="dynamic"
    )
    drafts = relationship("Draft", back_populates="owner", lazy="dynamic")
    notes = relationship("Note", back_populates="user")


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    author = relationship("User", back_populates="posts")


class Draft(Base):
    __tablename__ = "drafts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    owner = relationship(User, back_populates="drafts")


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    commenter = orm.relationship("User", back_populates="comments")
