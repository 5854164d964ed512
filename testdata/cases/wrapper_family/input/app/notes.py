from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app import orm as helpers
from app.base import Base


class Note(Base):
    __tablename__ = "notes"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship("User", backref=helpers.backref("notes"))
