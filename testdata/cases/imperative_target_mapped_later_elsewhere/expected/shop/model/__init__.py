from shop.model import meta
from shop.model.package import Package, package_table
from shop.model.tag import PackageTag, Tag

__all__ = ["Package", "PackageTag", "Tag", "meta", "package_table"]
