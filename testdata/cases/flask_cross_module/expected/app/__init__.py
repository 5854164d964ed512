"""Flask application package."""
from flask import Flask

from app.extensions import db


def create_app(database_uri="sqlite://"):
    """Application factory."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri
    db.init_app(app)
    return app
