"""Reading a corpus folder: files, cleaning, sanitising, dates, folding."""
