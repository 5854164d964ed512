from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    in_event_acls = relationship(
        "EventPrincipal", back_populates="group", lazy="dynamic"
    )
    in_settings_acls = relationship(
        "SettingPrincipal", back_populates="group", lazy="dynamic"
    )


class Role(Base):
    __tablename__ = "roles"
    id = Column(Integer, primary_key=True)
    in_event_acls = relationship(
        "EventPrincipal", back_populates="role", lazy="dynamic"
    )


class PrincipalMixin:
    principal_backref_name = None
    allow_roles = False

    @declared_attr
    def group_id(cls):
        return Column(Integer, ForeignKey("groups.id"))

    @declared_attr
    def group(cls):
        return relationship("Group", back_populates=cls.principal_backref_name)

    @declared_attr
    def role_id(cls):
        if not cls.allow_roles:
            return
        return Column(Integer, ForeignKey("roles.id"))

    @declared_attr
    def role(cls):
        if not cls.allow_roles:
            return
        return relationship("Role", back_populates=cls.principal_backref_name)


class EventPrincipal(PrincipalMixin, Base):
    __tablename__ = "event_principals"
    id = Column(Integer, primary_key=True)
    principal_backref_name = "in_event_acls"
    allow_roles = True


class SettingPrincipal(PrincipalMixin, Base):
    __tablename__ = "setting_principals"
    id = Column(Integer, primary_key=True)
    principal_backref_name = "in_settings_acls"
