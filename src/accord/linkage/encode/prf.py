"""A keyed pseudorandom function on 16-byte blocks, evaluated over whole arrays at once.

The PRF is AES-256 under a secret sub-key (see `keys.derive`). A block cipher under a secret key is
a pseudorandom permutation, indistinguishable from a random function while far fewer than 2**64
distinct blocks are evaluated: every distinct input block gets its own unpredictable 128-bit output,
and equal inputs give equal outputs, which is what keyed Bloom positions and keyed tokens need.
The callers build each input block as an injective encoding of what they hash, so distinct inputs
never share a block.

ECB mode here is not encryption of a message: it is the cipher applied to each block on its own,
i.e. the PRF evaluated on an array of inputs in one call into OpenSSL, a few nanoseconds a block
instead of a microsecond for a keyed hash object made in Python.
"""

from __future__ import annotations

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from numpy.typing import NDArray

BLOCK_BYTES = 16
KEY_BYTES = 32

# Input blocks are two little-endian 64-bit words, so their bytes are the same on every machine.
WORD = np.dtype("<u8")


class BlockPRF:
    """AES-256 under one key, applied independently to each block of an array."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a PRF key is {KEY_BYTES} bytes")
        # ECB keeps no state between blocks; calls always pass whole blocks, so none is buffered.
        self._encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()

    def __call__(self, blocks: NDArray[np.uint64], out: NDArray[np.uint8] | None = None) -> NDArray[np.uint8]:
        """Outputs for an (n, 2) array of input blocks (two 64-bit words each), as (n, 16) bytes,
        written into `out` (a flat byte array of at least 16n + 15) when given."""
        data = np.ascontiguousarray(blocks, dtype=WORD)
        if data.ndim != 2 or data.shape[1] != 2:
            raise ValueError("PRF input must be an (n, 2) array of 64-bit words")
        if out is None:
            out = np.empty(data.nbytes + BLOCK_BYTES - 1, np.uint8)  # update_into wants a block's slack
        elif out.ndim != 1 or out.size < data.nbytes + BLOCK_BYTES - 1:
            raise ValueError("PRF output buffer too small")
        if data.size:  # OpenSSL takes flat byte buffers only
            written = self._encryptor.update_into(data.view(np.uint8).reshape(-1).data, out.data)
            assert written == data.nbytes
        return out[:data.nbytes].reshape(-1, BLOCK_BYTES)
