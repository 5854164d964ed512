"""Vehicle ownership; deployments own cars either per person or per company."""
import os

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

COMPANY_FLEETS = os.environ.get("FLEET_MODE") == "company"


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    if not COMPANY_FLEETS:
        cars = relationship("Car", backref="owner")


class Company(Base):
    __tablename__ = "companies"

    id = Column(Integer, primary_key=True)
    name = Column(String(120))

    if COMPANY_FLEETS:
        cars = relationship("Car", backref="owner")


class Car(Base):
    __tablename__ = "cars"

    id = Column(Integer, primary_key=True)
    plate = Column(String(12), unique=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    company_id = Column(Integer, ForeignKey("companies.id"))
