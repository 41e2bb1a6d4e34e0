"""The data inventory's parts: where personal data sits (event fields, read-model columns,
exports, log fields), each read from the code, and the few tables of ours that classify
what the code cannot say about itself. `chibo_tools.privacy_inventory` renders them."""
