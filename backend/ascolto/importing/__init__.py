"""Importing ratings from elsewhere: a WordPress export (WXR) with a rating plugin's post meta.

`wxr` reads the file; `plan` decides, from the owner's options, which numbers become which
article's (nothing written); `apply` writes them. Imported numbers are kept per article in a
record (`voting.imported_kind`), so the aggregate is always the article's votes plus that
record: a re-import replaces it, the reconcile keeps it, and the digest and the export say
which numbers came from where.
"""
