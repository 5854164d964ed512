# Old import script, kept for reference; never imported.
import csv


def dump(rows):
    for row in rows:
        print "%s,%s" % (row[0], row[1])


def main(path):
    with open(path) as fh:
        dump(csv.reader(fh))
    print "done"
