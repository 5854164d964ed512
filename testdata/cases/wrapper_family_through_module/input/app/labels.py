from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app import orm
from app.base import Base


class Label(Base):
    __tablename__ = "labels"

    id = Column(Integer, primary_key=True)
    tag_id = Column(Integer, ForeignKey("tags.id"))
    note_tag_id = Column(Integer, ForeignKey("tags.id"))
    note_tag = relationship(
        "Tag", foreign_keys=[note_tag_id], backref=orm.backref("notes", uselist=False)
    )
