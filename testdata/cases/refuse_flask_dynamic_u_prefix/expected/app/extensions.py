from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
Model = db.Model
