"""Privacy-preserving record linkage.

Agency side (this package so far): normalise a roster's identity columns and encode them under the
agencies' shared secret key, so that only keyed encodings ever leave the agency. The core modules
import no framework; reading CSV and writing Parquet live in `accord.linkage.roster` and
`accord.linkage.parquet_out`.
"""
