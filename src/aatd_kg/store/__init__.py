"""The store interface and its implementations (embedded Oxigraph by default)."""
