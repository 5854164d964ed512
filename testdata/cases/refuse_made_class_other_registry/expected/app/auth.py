from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

AuthBase = declarative_base()


class User(AuthBase):
    __tablename__ = "auth_users"
    id = Column(Integer, primary_key=True)
    login = Column(String(50))
