"""Newsdesk core: settings, domain types, retrieval, answering and quote verification."""
