from sqlalchemy.orm import relationship

from app.extensions import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    # WRONG: plain relationship() loses db.Query (no .paginate()).
    posts = relationship("Post", back_populates="author", lazy="dynamic")


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("user.id"))
    author = db.relationship("User", back_populates="posts")
