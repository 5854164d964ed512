from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    def primary_email(self):
        return self.addresses[0].email if self.addresses else None


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    email = Column(String(120), nullable=False)
    user_id = Column(Integer, ForeignKey("users.id"))

    # Addresses are listed oldest first (by primary key).
    user = relationship("User", backref=backref("addresses", order_by=id))
