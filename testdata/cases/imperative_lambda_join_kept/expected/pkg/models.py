from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, and_
from sqlalchemy.orm import foreign, mapper, relationship, remote

metadata = MetaData()
node = Table(
    "node",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", Integer, ForeignKey("node.id")),
)


class Node(object):
    pass


mapper(
    Node,
    node,
    properties={
        "parent": relationship(
            Node,
            primaryjoin=lambda: remote(node.c.id) == node.c.parent_id,
            back_populates="children",
        ),
        "children": relationship(
            Node,
            back_populates="parent",
            primaryjoin=lambda: node.c.id == remote(node.c.parent_id),
        ),
    },
)
