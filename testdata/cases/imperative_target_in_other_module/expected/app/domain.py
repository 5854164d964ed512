class User:
    pass


class Address:
    pass
