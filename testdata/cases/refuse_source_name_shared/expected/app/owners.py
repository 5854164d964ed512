import sqlalchemy as sa

from vendor_lib.model_base import BASE


class Owner(BASE):
    __tablename__ = "owners"
    id = sa.Column(sa.Integer, primary_key=True)
