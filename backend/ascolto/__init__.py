"""ascolto: hear what readers think of each article of a static site."""

__version__ = "0.1.0"
