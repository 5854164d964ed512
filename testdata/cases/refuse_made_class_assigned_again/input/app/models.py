from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def make_model(name, namespace):
    return type(name, (Base,), namespace)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


Tag = make_model(
    "Tag",
    {
        "__tablename__": "tags",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(ForeignKey("users.id")),
    },
)
Tag.user = relationship("User", backref="tags")
Tag.user = Tag.owner = relationship("User", viewonly=True)
