# Python 2 syntax: a SyntaxError under Python 3.
print "hello from Python 2"
