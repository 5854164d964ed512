import sqlalchemy as sa
from sqlalchemy.orm import backref, declarative_base, relationship, remote

Base = declarative_base()


class Node(Base):
    __tablename__ = "node"
    tree_id = sa.Column(sa.Integer, primary_key=True)
    id = sa.Column(sa.Integer, primary_key=True)
    parent_id = sa.Column(sa.Integer)
    __table_args__ = (
        sa.ForeignKeyConstraint(["tree_id", "parent_id"], ["node.tree_id", "node.id"]),
    )

    parent = relationship(
        "Node",
        primaryjoin=lambda: sa.and_(
            remote(Node.id)
            == Node.parent_id,
            remote(Node.tree_id)
            == Node.tree_id,
        ),
        backref=backref("children"),
    )
