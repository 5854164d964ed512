from app.extensions import db

Model = db.Model
Column = db.Column
Integer = db.Integer
String = db.String
