from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import backref, registry, relationship

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

a_table = Table("a", metadata, Column("id", Integer, primary_key=True))
b_table = Table("b", metadata, Column("id", Integer, primary_key=True))
a_b = Table(
    "a_b",
    metadata,
    Column("a_id", ForeignKey("a.id"), primary_key=True),
    Column("b_id", ForeignKey("b.id"), primary_key=True),
)


class A:
    pass


class B:
    pass


mapper_registry.map_imperatively(
    A,
    a_table,
    properties={
        "bs": relationship(B, secondary=a_b, backref="as", order_by=a_b.c.b_id),
    },
)
mapper_registry.map_imperatively(B, b_table)


class Parent:
    pass


class Child:
    pass


parent_table = Table(
    "parent",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("favourite_child_id", ForeignKey("child.id")),
)
child_table = Table(
    "child",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("parent.id")),
)

mapper_registry.map_imperatively(Child, child_table, properties={
    "parent": relationship(
        Parent,
        foreign_keys=[child_table.c.parent_id],
        backref=backref("children", order_by=child_table.c.id, cascade="all, delete-orphan"),
    ),
})
mapper_registry.map_imperatively(Parent, parent_table, properties={"favourite": relationship(Child, foreign_keys=[parent_table.c.favourite_child_id], post_update=True, backref="favourite_of")})
