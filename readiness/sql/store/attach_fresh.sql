-- The scratch database a rebuild made beside the live one ($path), to copy from.
ATTACH $path AS fresh (READ_ONLY)
