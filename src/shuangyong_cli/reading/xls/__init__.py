"""Reading .xls: the OLE compound file container (``cfb``) and the BIFF records that say
what is inside (``biff``), before calamine or xlrd read the values."""
