"""Blog posts."""
from datetime import datetime

from app.extensions import db


class Post(db.Model):
    __tablename__ = "posts"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text)
    published_at = db.Column(db.DateTime, default=datetime.utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)

    def recent_comments(self, limit=5):
        """Newest comments first; relies on the dynamic `comments` query."""
        return self.comments.order_by(db.desc("created_at")).limit(limit).all()
