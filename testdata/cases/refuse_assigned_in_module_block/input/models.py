from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
FEATURE = False


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))


if FEATURE:
    User.addresses = relationship(Address, backref="user")

try:
    Address.owner = relationship(User, backref="owned")
except ImportError:
    pass
