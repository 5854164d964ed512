from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def make_model(name, namespace):
    return type(name, (Base,), namespace)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


TagBase = make_model(
    "TagBase",
    {
        "__abstract__": True,
        "id": Column(Integer, primary_key=True),
    },
)
TagBase.user = relationship("User", backref="tags")
