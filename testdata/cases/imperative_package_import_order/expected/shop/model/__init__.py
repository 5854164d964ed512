from shop.model import meta
from shop.model.domain_object import DomainObject
from shop.model.user import User, user_table
from shop.model.package import Package, package_table
from shop.model.rating import Rating
from shop.model.api_token import ApiToken

__all__ = ["ApiToken", "DomainObject", "Package", "Rating", "User", "meta", "package_table", "user_table"]
