# Python 3 syntax: a SyntaxError under Python 2.
name = "Python 3"
print(f"hello from {name}")
