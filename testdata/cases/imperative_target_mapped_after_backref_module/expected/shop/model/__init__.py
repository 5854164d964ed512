from shop.model import user, rating
