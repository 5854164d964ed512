"""Employees in single-table inheritance."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    type = Column(String(20))

    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


class Manager(Employee):
    __mapper_args__ = {"polymorphic_identity": "manager"}
    projects = relationship("Project", back_populates="manager")

    def team_size(self):
        return len(self.projects)


class Engineer(Employee):
    __mapper_args__ = {"polymorphic_identity": "engineer"}


class Project(Base):
    __tablename__ = "projects"

    id = Column(Integer, primary_key=True)
    title = Column(String(120))
    manager_id = Column(Integer, ForeignKey("employees.id"))

    manager = relationship("Manager", back_populates="projects")
