"""The knowledge base: the guide's units, the fact and decision vocabulary, and the rules."""

from advisor.knowledge.base import KnowledgeBase, load_knowledge

__all__ = ["KnowledgeBase", "load_knowledge"]
