"""Drawing helpers shared by the printed documents: page furniture, text, QR codes, grids."""
