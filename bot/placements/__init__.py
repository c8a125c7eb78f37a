"""Posters, billboards and QR codes: short codes (content/placements.yaml) that open a screen,
counted per code and day only, and the print-ready QR code of a link."""
