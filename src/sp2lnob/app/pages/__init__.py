"""One module per page: ``page_ui(id)`` and ``page_server(id, ...)`` Shiny modules."""
