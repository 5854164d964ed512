from sqlalchemy import Column, Integer

from app.base import Base

app = object()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
