"""Indexing: cleaning, chunking, embedding, the stores and ingestion."""
