"""The wall display (Trình chiếu): its Python (view.py) and its assets (assets/) together."""
