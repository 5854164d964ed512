from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


class Team(Base):
    __tablename__ = "team"

    id = Column(Integer, primary_key=True)
    docs_list = relationship("Doc", back_populates="team", order_by="Team.id")
    widgets_list = relationship("Widget", back_populates="team", order_by="Team.id")


class Person(Base):
    __tablename__ = "person"

    id = Column(Integer, primary_key=True)
    created_doc = relationship(
        "Doc", back_populates="created_by", foreign_keys="[Doc.created_by_id]"
    )
    doc_updates = relationship(
        "Doc", back_populates="updated_by", foreign_keys="[Doc.updated_by_id]"
    )
    stamp = relationship("Badge", back_populates="person")


class Owned:
    @declared_attr
    def team_id(cls):
        return Column(ForeignKey("team.id"))

    @declared_attr
    def team(cls):
        return relationship("Team", back_populates=f"{cls.__tablename__}_list")


class Audited:
    @declared_attr
    def created_by_id(cls):
        return Column(ForeignKey("person.id"))

    @declared_attr
    def updated_by_id(cls):
        return Column(ForeignKey("person.id"))

    @declared_attr
    def created_by(cls):
        label = "created_%s" % cls.__name__.lower()
        return relationship(
            Person, foreign_keys=[cls.created_by_id], back_populates=label
        )

    @declared_attr
    def updated_by(cls):
        return relationship(
            Person,
            foreign_keys=lambda: [cls.updated_by_id],
            back_populates="{}_updates".format(cls.__name__.lower()),
        )


class Doc(Owned, Audited, Base):
    __tablename__ = "docs"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "doc"}


class Memo(Doc):
    __mapper_args__ = {"polymorphic_identity": "memo"}


class Thing(Owned, Base):
    __abstract__ = True

    id = Column(Integer, primary_key=True)


class Widget(Thing):
    __tablename__ = "widgets"


class Gadget(Owned, Base):
    __tablename__ = "gadgets"

    id = Column(Integer, primary_key=True)
    team = relationship("Team")


class Stamp:
    @declared_attr
    def person_id(cls):
        return Column(ForeignKey("person.id"))

    @declared_attr
    def person(cls):
        return relationship("Person", back_populates="stamp", uselist=False)


class Badge(Stamp, Base):
    __tablename__ = "badges"

    id = Column(Integer, primary_key=True)
