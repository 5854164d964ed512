from sqlalchemy import Column, Integer
from sqlalchemy.orm import relationship

import app.orm
from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    labels = relationship("Label", foreign_keys="Label.tag_id")
    notes = app.orm.relationship(
        "Label",
        back_populates="note_tag",
        foreign_keys="[Label.note_tag_id]",
        uselist=False,
    )
