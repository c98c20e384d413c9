"""Evaluation harness: score a question-answering system against a gold set of news questions."""
