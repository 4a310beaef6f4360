"""Reading .xlsx: the zip package bounded part by part (``package``), its XML parts without
DTDs (``parts``), and the worksheets scanned into cells (``scan``)."""
