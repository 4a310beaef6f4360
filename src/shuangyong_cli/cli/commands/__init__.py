"""One module per command: parse its options, call the core, render, exit with its code;
``checking`` holds what validate, merge and status share."""
