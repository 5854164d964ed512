# A \1 in the pattern is a backreference to the first group.
import re

print "matched", re.match(r"(a)\1", "aa") is not None
