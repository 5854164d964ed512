"""Domain classes, mapped elsewhere."""


class User:
    pass


class Address:
    pass


class Keyword:
    pass


class Order:
    pass


class Invoice:
    pass


class Node:
    def __init__(self, name=None):
        self.name = name


class AuditLog:
    pass


class AuditEntry:
    pass
