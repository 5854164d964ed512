from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(ForeignKey("nodes.id"))
    children = relationship("Node", backref=backref("parent", remote_side=[id]))
