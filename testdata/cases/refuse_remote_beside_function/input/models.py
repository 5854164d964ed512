import sqlalchemy as sa
from sqlalchemy.orm import backref, declarative_base, relationship, remote, foreign

Base = declarative_base()


class Node(Base):
    __tablename__ = "node"
    id = sa.Column(sa.String, primary_key=True)
    parent_id = sa.Column(sa.String)

    parent = relationship(
        "Node",
        primaryjoin=lambda: remote(Node.id) == sa.func.lower(foreign(Node.parent_id)),
        backref=backref("children", viewonly=True),
        viewonly=True,
    )
