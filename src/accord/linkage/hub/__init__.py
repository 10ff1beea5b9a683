"""The hub side of linkage: matching keyed encodings with Splink. It never holds the key or clear text."""
