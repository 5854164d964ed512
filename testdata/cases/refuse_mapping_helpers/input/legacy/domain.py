class User:
    pass


class Address:
    pass


class Order:
    pass


class Item:
    pass


class Note:
    pass


class Tag:
    pass


class Label:
    pass


class Flag:
    pass
