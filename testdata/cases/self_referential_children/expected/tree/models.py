"""A category tree stored as an adjacency list."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"

    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50), nullable=False)

    children = relationship(
        "Node",
        cascade="all, delete-orphan",
        back_populates="parent",
    )
    parent = relationship("Node", back_populates="children", remote_side=[id])

    def path(self):
        """Names from the root down to this node."""
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))
