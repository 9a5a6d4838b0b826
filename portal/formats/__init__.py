"""The portal's own number formats (FORMAT_MODULE_PATH), read before Django's for each language."""
