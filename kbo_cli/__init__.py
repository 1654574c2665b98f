"""kbo: product-readiness tracker for Thailand's Knowledge-Based OTOP networks.

This module holds the version only and imports nothing heavy, so that `kbo --help` stays fast.
"""

__version__ = "0.1.0"
