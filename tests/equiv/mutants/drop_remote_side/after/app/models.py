from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(ForeignKey("nodes.id"))
    children = relationship("Node", back_populates="parent")
    # WRONG: without remote_side this is a second one-to-many.
    parent = relationship("Node", back_populates="children")
