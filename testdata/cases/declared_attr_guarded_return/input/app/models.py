from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import backref, declarative_base, declared_attr, relationship

Base = declarative_base()


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)


class Role(Base):
    __tablename__ = "roles"
    id = Column(Integer, primary_key=True)


class PrincipalMixin:
    principal_backref_name = None
    allow_roles = False

    @declared_attr
    def group_id(cls):
        return Column(Integer, ForeignKey("groups.id"))

    @declared_attr
    def group(cls):
        return relationship(
            "Group", backref=backref(cls.principal_backref_name, lazy="dynamic")
        )

    @declared_attr
    def role_id(cls):
        if not cls.allow_roles:
            return
        return Column(Integer, ForeignKey("roles.id"))

    @declared_attr
    def role(cls):
        if not cls.allow_roles:
            return
        return relationship(
            "Role", backref=backref(cls.principal_backref_name, lazy="dynamic")
        )


class EventPrincipal(PrincipalMixin, Base):
    __tablename__ = "event_principals"
    id = Column(Integer, primary_key=True)
    principal_backref_name = "in_event_acls"
    allow_roles = True


class SettingPrincipal(PrincipalMixin, Base):
    __tablename__ = "setting_principals"
    id = Column(Integer, primary_key=True)
    principal_backref_name = "in_settings_acls"
