"""The pure domain core: agencies, people, data elements, agreements, consents, training.

Nothing here performs I/O or imports a framework; every other layer builds on these types.
"""
