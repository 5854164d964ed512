from flask import Flask
from flask_mail import Mail

from forum.extensions import db

mail = Mail()


def create_app(config=None):
    app = Flask("forum")
    app.config.from_object(config or "forum.settings.Production")
    db.init_app(app)
    mail.init_app(app)
    return app
