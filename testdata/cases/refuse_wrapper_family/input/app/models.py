from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

from app import busy, differ, half, twice
from vendorlib import orm as vendor

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    differ_user = differ.relationship(User, backref=differ.backref("differ_posts"))
    busy_user = busy.relationship(User, backref=busy.backref("busy_posts"))
    twice_user = twice.relationship(User, backref=twice.backref("twice_posts"))
    half_user = half.relationship(User, backref=vendor.backref("half_posts"))
    vendor_user = vendor.relationship(User, backref="vendor_posts")
    mixed_user = differ.relationship(User, backref=vendor.backref("mixed_posts"))
