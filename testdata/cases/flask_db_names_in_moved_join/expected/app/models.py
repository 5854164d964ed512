from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    published_posts = db.relationship(
        "Post",
        back_populates="author",
        primaryjoin="and_(foreign(Post.user_id) == User.id, Post.published == true())",
        viewonly=True,
    )


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer)
    published = db.Column(db.Boolean, default=False)
    author = db.relationship(
        User,
        primaryjoin=db.and_(db.foreign(user_id) == User.id, published == db.true()),
        back_populates="published_posts",
        viewonly=True,
    )
