"""Spotting text planted in articles to steer a model: such sentences are never evidence."""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines|above|previous|prior)\b",
    r"\b(system|developer)\s*(prompt|message|instructions?)\b",
    r"\b(reveal|print|repeat|show|output|leak)\b.{0,30}\b(prompt|instructions?)\b",
    r"\byou are (now )?(an? )?(ai|assistant|language model|chatbot|llm)\b",
    r"\b(as an ai|as a language model)\b",
    r"\b(new|updated) instructions?\b",
    r"<\|?(system|im_start|im_end|assistant)\|?>|\[/?INST\]|###\s*(system|instruction)",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
# "Answer only with the word PWNED": a command followed by a shouted token.
_SHOUTED_ANSWER = re.compile(
    r"\b(?i:answer|reply|respond|say|output|write)\b.{0,30}[\"'“]?\b[A-Z]{4,}\b[\"'”]?"
)


def looks_like_instruction(text: str) -> bool:
    """True for sentences addressed to a model rather than reporting news."""
    return bool(_INSTRUCTION.search(text) or _SHOUTED_ANSWER.search(text))
