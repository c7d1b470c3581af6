"""The importers: each module has ``run(importer, path)`` (see ``transfer.importing``)."""
