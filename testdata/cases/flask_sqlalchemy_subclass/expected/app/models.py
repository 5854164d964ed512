"""Models."""
from sqlalchemy.ext.declarative import declared_attr

from app.core import db


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64))
    events = db.relationship("Event", back_populates="owner", lazy="dynamic")
    in_event_acls = db.relationship(
        "EventPrincipal",
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="dynamic",
    )
    in_category_acls = db.relationship(
        "CategoryPrincipal",
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="dynamic",
    )


class Event(db.Model):
    __tablename__ = "events"

    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    owner = db.relationship("User", back_populates="events")


class PrincipalMixin:
    #: the name of the backref on `User`, set by each model
    principal_backref_name = None

    @declared_attr
    def user_id(cls):
        return db.Column(db.Integer, db.ForeignKey("users.id"))

    @declared_attr
    def user(cls):
        return db.relationship(
            "User",
            lazy=True,
            back_populates=cls.principal_backref_name,
        )


class EventPrincipal(PrincipalMixin, db.Model):
    __tablename__ = "event_principals"
    principal_backref_name = "in_event_acls"

    id = db.Column(db.Integer, primary_key=True)


class CategoryPrincipal(PrincipalMixin, db.Model):
    __tablename__ = "category_principals"
    principal_backref_name = "in_category_acls"

    id = db.Column(db.Integer, primary_key=True)
