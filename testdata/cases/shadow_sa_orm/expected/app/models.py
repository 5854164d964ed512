import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import relationship

Base = orm.declarative_base()


class User(Base):
    __tablename__ = "users"

    id = sa.Column(sa.Integer, primary_key=True)
    grades = orm.relationship("Grade", back_populates="student")


class Grade(Base):
    __tablename__ = "grades"

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    sa = sa.Column(sa.String(2))  # "satisfactory" flag column, named by the legacy schema
    orm = sa  # alias kept for old code
    student = relationship("User", back_populates="grades")
