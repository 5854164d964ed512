"""Plain domain classes; they know nothing about the database."""


class User:
    def __init__(self, name, fullname=None):
        self.name = name
        self.fullname = fullname

    def __repr__(self):
        return "User(name={!r})".format(self.name)


class Address:
    def __init__(self, email_address):
        self.email_address = email_address

    def domain(self):
        return self.email_address.rsplit("@", 1)[-1]
