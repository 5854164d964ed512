from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def make_model(name, namespace):
    return type(name, (Base,), namespace)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
