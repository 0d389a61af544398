"""The FastAPI server: SPARQL endpoint, dereferenceable IRIs, pages and downloads."""
