from sqlalchemy import Column, Integer

from app.base import Base


class User(Base):
    __tablename__ = "other_users"
    id = Column(Integer, primary_key=True)
