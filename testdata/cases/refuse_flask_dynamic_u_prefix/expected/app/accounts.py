from sqlalchemy import Column, Integer

from app.extensions import Model


class User(Model):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
