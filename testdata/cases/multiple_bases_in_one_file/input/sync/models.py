"""Models for the primary database (BaseA) and the legacy one being migrated from (BaseB).

Both schemas use the same table names; each base has its own MetaData.
"""
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import backref, declarative_base, relationship

BaseA = declarative_base()
BaseB = declarative_base()


class UserA(BaseA):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(120), unique=True, nullable=False)

    accounts = relationship("AccountA", backref="owner")


class AccountA(BaseA):
    __tablename__ = "accounts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False)
    balance = Column(Numeric(12, 2), default=0)


class UserB(BaseB):
    """Row of the legacy schema; `login` became `email`."""

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    login = Column(String(120))

    def to_primary(self):
        return UserA(email=self.login)


class AccountB(BaseB):
    __tablename__ = "accounts"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    balance_cents = Column(Integer, default=0)

    user = relationship("UserB", backref=backref("accounts", lazy="selectin"))

    def to_primary(self):
        return AccountA(balance=self.balance_cents / 100)
