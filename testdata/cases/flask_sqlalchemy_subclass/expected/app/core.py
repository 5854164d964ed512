"""The database extension, with project defaults."""
from flask_sqlalchemy import SQLAlchemy


class AppSQLAlchemy(SQLAlchemy):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("session_options", {"expire_on_commit": False})
        super().__init__(*args, **kwargs)

    def enforce_constraints(self):
        return None


db = AppSQLAlchemy()
