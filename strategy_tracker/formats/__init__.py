"""Date formats that differ from Django's for a language (FORMAT_MODULE_PATH). Only English differs: the
tracker writes "27 January 2014", not Django's "Jan. 27, 2014"; French and German keep Django's own
("27 janvier 2014", "27. Januar 2014"). Templates and code name a format ("DATE_FORMAT"), never a pattern."""
