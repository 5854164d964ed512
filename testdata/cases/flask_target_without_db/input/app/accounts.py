from app.base import Column, Integer, Model, String


class User(Model):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
