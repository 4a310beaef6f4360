"""Reading .xlsx: the zip package bounded part by part (``package``), its XML parts without
DTDs (``parts``), the worksheets scanned into cells (``sheet_regex``, else ``sheet_expat``), each
cell's value decoded as calamine does (``cell_values``)."""
