from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    # WRONG: one-to-one needs uselist=False; this is now a list.
    profile = relationship("Profile", back_populates="user")


class Profile(Base):
    __tablename__ = "profiles"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), unique=True)
    user = relationship("User", back_populates="profile")
