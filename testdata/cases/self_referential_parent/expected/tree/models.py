from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Node(Base):
    """A folder; the root folder has no parent."""

    __tablename__ = "nodes"

    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"), nullable=True)
    name = Column(String(50), nullable=False)

    parent = relationship("Node", remote_side=[id], back_populates="children")
    children = relationship("Node", back_populates="parent")

    def is_root(self):
        return self.parent_id is None
