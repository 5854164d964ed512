from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)


class PrincipalMixin:
    principal_backref_name = None

    @declared_attr
    def user_id(cls):
        return Column(Integer, ForeignKey("users.id"))

    @declared_attr
    def user(cls):
        return relationship(
            "User",
            backref=backref(cls.principal_backref_name, cascade="all, delete"),
        )


class SettingsBase:
    id = Column(Integer, primary_key=True)
    name = Column(String)


def remember(cls):
    return cls


@remember
class PrincipalSettingsBase(PrincipalMixin, SettingsBase):
    """Carries the table name for its subclasses; mapped only through them."""

    __tablename__ = "settings_principals"


class SettingPrincipal(PrincipalSettingsBase, Base):
    principal_backref_name = "in_settings_acls"


class EventSettingPrincipal(PrincipalSettingsBase, Base):
    __tablename__ = "event_settings_principals"
    principal_backref_name = "in_event_settings_acls"
