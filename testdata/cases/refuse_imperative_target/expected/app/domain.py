class User:
    pass


class Address:
    pass


class Tag:
    pass


class Note:
    pass
