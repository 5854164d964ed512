from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer)
    published = db.Column(db.Boolean, default=False)
    author = db.relationship(
        User,
        primaryjoin=db.and_(db.foreign(user_id) == User.id, published == db.true()),
        backref="published_posts",
        viewonly=True,
    )
