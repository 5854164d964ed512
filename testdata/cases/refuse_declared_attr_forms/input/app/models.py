from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


def plural(cls):
    return cls.__name__.lower() + "s"


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)


class Cascading:
    @declared_attr
    def a_user_id(cls):
        return Column(ForeignKey("users.id"))

    @declared_attr.cascading
    def a_user(cls):
        return relationship(User, foreign_keys=[cls.a_user_id], backref="cascaded_" + cls.__name__)


class Called:
    @declared_attr
    def b_user_id(cls):
        return Column(ForeignKey("users.id"))

    @declared_attr
    def b_user(cls):
        return relationship(User, foreign_keys=[cls.b_user_id], backref=plural(cls))


class ByTable:
    @declared_attr
    def c_user_id(cls):
        return Column(ForeignKey("users.id"))

    @declared_attr
    def c_user(cls):
        return relationship(User, foreign_keys=[cls.c_user_id], backref=f"{cls.__tablename__}_c")


class LocalKeys:
    @declared_attr
    def d_user_id(cls):
        return Column(ForeignKey("users.id"))

    @declared_attr
    def d_user(cls):
        key = cls.d_user_id
        return relationship(User, foreign_keys=[key], backref=cls.__name__.lower() + "_d")


class Plain:
    @declared_attr
    def e_user_id(cls):
        return Column(ForeignKey("users.id"))

    @declared_attr
    def e_user(cls):
        return relationship(User, foreign_keys=[cls.e_user_id], backref=cls.__name__.lower() + "_e")


class Record(Cascading, Called, ByTable, LocalKeys, Plain, Base):
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

    id = Column(Integer, primary_key=True)
