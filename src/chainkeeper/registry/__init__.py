"""The registry of enterprises, products and supply links, and its import."""
