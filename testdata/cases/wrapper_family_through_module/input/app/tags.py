from sqlalchemy import Column, Integer
from sqlalchemy.orm import relationship

from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    labels = relationship("Label", foreign_keys="Label.tag_id")
