from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from app.base import Base


class Person(Base):
    __tablename__ = "people"

    id = Column(Integer, primary_key=True)
    name = Column(String(100))
    pets = relationship("Pet", back_populates="owner")
