"""Documents are data; one renderer turns them into images for the receipt printer."""
