from marshmallow import Schema, fields

from inventory.catalog import Product


class ProductSchema(Schema):
    id = fields.Integer(dump_only=True)
    sku = fields.String(required=True)

    class Meta:
        model = Product
