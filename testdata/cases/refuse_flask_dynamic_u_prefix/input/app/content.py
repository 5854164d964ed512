from app.extensions import db


class Post(db.Model):
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("users.id"))
    author = db.relationship("User", backref=db.backref("posts", lazy=u"dynamic"))
