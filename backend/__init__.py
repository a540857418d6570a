"""The embedded demo back end: fictitious departments behind one HTTP JSON API (/api/v1)."""
