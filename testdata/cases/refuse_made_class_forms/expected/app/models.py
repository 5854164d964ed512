from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, registry, relationship

Base = declarative_base()
reg = registry()


class Plain:
    pass


def make_model(name, namespace):
    return type(name, (Base,), namespace)


def logged_model(name, namespace):
    namespace = dict(namespace, made_by="logged_model")
    return type(name, (Base,), namespace)


def plain_model(name, namespace):
    return type(name, (Plain,), namespace)


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)


@reg.mapped
class Account:
    __tablename__ = "accounts"

    id = Column(Integer, primary_key=True)


def columns(table):
    return {
        "__tablename__": table,
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
    }


Logged = logged_model("Logged", columns("logged"))
Shared = make_model("Shared", columns("shared"))
Owned = make_model(
    "Owned",
    {
        "__tablename__": "owned",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
        "owners": None,
    },
)
PlainMade = plain_model(
    "PlainMade",
    {"__tablename__": "plain", "id": Column(Integer, primary_key=True)},
)
Good = make_model(
    "Good",
    {
        "__tablename__": "good",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
    },
)
Twice = make_model(
    "Twice",
    {
        "__tablename__": "twice",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
    },
)

Logged.user = relationship(User, backref="logged")
Shared.user = relationship(User, backref="shared")
User.owned = relationship(Owned, backref="owners")
Twice.user = relationship(User, backref="twices")
User.later = relationship("Later", backref="earlier")
PlainMade.user = relationship(User, backref="plain_made")
Account.good = relationship(Good, backref="account")

Later = make_model(
    "Later",
    {
        "__tablename__": "later",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
    },
)

if Twice is None:
    Twice = None
