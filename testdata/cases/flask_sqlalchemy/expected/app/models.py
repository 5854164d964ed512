"""Database models."""
from datetime import datetime

from app.extensions import db


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, index=True)
    email = db.Column(db.String(120), unique=True)

    tokens = db.relationship(
        "ApiToken", back_populates="owner", cascade="all, delete-orphan"
    )
    posts = db.relationship("Post", back_populates="author", lazy="dynamic")

    def __repr__(self):
        return "<User {}>".format(self.username)


class Post(db.Model):
    __tablename__ = "posts"

    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(140))
    timestamp = db.Column(db.DateTime, index=True, default=datetime.utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    # A user's posts are paginated on the profile page, hence the dynamic loader.
    author = db.relationship("User", back_populates="posts")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), unique=True, nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    owner = db.relationship("User", back_populates="tokens")

    def revoke(self):
        db.session.delete(self)
