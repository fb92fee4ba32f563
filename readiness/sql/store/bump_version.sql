-- After any write, in its transaction: a new data version (the board's cache key).
UPDATE data_version SET version = version + 1
