from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from app.base import Base


class Department(Base):
    __tablename__ = "departments"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    # Creates Employee.team, which Manager (a subclass) already uses below.
    employees = relationship("Employee", backref="team")


class Employee(Base):
    __tablename__ = "employees"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    kind = Column(String(20))
    department_id = Column(Integer, ForeignKey("departments.id"))

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}


class Manager(Employee):
    __mapper_args__ = {"polymorphic_identity": "manager"}

    @property
    def team(self):
        return "management"
