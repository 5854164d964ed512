from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.orm.collections import attribute_mapped_collection

Base = declarative_base()


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    _extras = relationship(
        "GroupExtra",
        back_populates="group",
        collection_class=attribute_mapped_collection("key_of_the_extra_in_group_xyz"),
        cascade="all, delete-orphan",
    )


class GroupExtra(Base):
    __tablename__ = "group_extras"
    id = Column(Integer, primary_key=True)
    group_id = Column(Integer, ForeignKey("groups.id"))
    key = Column(String)
    group = relationship(
        Group,
        back_populates="_extras",
    )
