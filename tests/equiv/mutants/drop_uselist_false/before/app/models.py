from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Profile(Base):
    __tablename__ = "profiles"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), unique=True)
    user = relationship("User", backref=backref("profile", uselist=False))
