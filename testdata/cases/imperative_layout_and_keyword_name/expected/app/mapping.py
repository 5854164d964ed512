from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import class_mapper, registry, relationship

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
        "bs": relationship(B, secondary=a_b, back_populates="as", order_by=a_b.c.b_id),
    },
)
mapper_registry.map_imperatively(
    B, b_table, properties={"as": relationship(A, back_populates="bs", secondary=a_b)}
)


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
        back_populates="children",
    ),
})
mapper_registry.map_imperatively(
    Parent,
    parent_table,
    properties={
        "favourite": relationship(Child, foreign_keys=[parent_table.c.favourite_child_id], post_update=True, back_populates="favourite_of"),
        "children": relationship(
            Child,
            back_populates="parent",
            foreign_keys=[child_table.c.parent_id],
            order_by=child_table.c.id,
            cascade="all, delete-orphan",
        ),
    },
)
class_mapper(Child, configure=False).add_property(
    "favourite_of",
    relationship(
        Parent,
        back_populates="favourite",
        foreign_keys=[parent_table.c.favourite_child_id],
        post_update=True,
    ),
)
