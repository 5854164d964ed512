from sqlalchemy import Column, Integer

from app.base import Base

desc = "a user of the site"


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
